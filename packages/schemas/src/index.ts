export { COUNTRY_CODES } from './codes/countries.ts';
export { CURRENCY_CODES } from './codes/currencies.ts';
export {
  CountryCode,
  CurrencyCode,
  ID_MAX_LENGTH,
  ID_PATTERN,
  Id,
  IpAddress,
  Score,
  Text,
  Timestamp,
} from './common.ts';
export { UserEvent, UserEventType, userEventValidator } from './ecommerce.ts';
export { DEFAULT_MAX_FUTURE_SKEW_MS, type EventTimeBound, futureEventTime } from './event-time.ts';
export { type ErrorMessageAnnotation, type RawSchemaError, toFieldErrors } from './field-errors.ts';
export {
  Decision,
  FraudAlert,
  fraudAlertValidator,
  MAX_PAYMENT_AMOUNT_MINOR,
  Payment,
  PaymentDecision,
  paymentDecisionValidator,
  paymentValidator,
} from './fraud.ts';
export {
  IotAlert,
  IotAlertKind,
  iotAlertValidator,
  SENSOR_METRIC_NAMES,
  type SensorMetricName,
  SensorMetrics,
  SensorReading,
  sensorReadingValidator,
} from './iot.ts';
export {
  AccessLog,
  accessLogValidator,
  HTTP_METHODS,
  HttpMethod,
  RejectedLogLine,
  rejectedLogLineValidator,
  StatusClass,
  statusClassOf,
} from './logs.ts';
export { defineTopic, dlqTopicName, prevalidatedTopic, type TopicDef } from './topic.ts';
export { type Topics, topics } from './topics.ts';
export {
  compileValidator,
  type FieldError,
  formatFieldErrors,
  SchemaValidationError,
  type ValidationResult,
  type Validator,
} from './validator.ts';
