export {
  compileValidator,
  formatFieldErrors,
  SchemaValidationError,
  type FieldError,
  type ValidationResult,
  type Validator,
} from './validator.ts';
export type { ErrorMessageAnnotation } from './field-errors.ts';
export { defineTopic, dlqTopicName, type TopicDef } from './topic.ts';
export { topics, type Topics } from './topics.ts';
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
export { UserEvent, UserEventType, userEventValidator } from './ecommerce.ts';
export {
  IotAlert,
  IotAlertKind,
  iotAlertValidator,
  SENSOR_METRIC_NAMES,
  SensorMetrics,
  SensorReading,
  type SensorMetricName,
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
