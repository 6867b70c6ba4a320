// The logger every package takes lives in @streamkit/runtime; this package's modules import it from here.
export {
  createConsoleLogger,
  isLogLevel,
  type Logger,
  type LogLevel,
  silentLogger,
} from '@streamkit/runtime';
