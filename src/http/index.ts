export { ApiError, isApiError, refineApiError, type FailureKind, type ApiErrorDetails } from './errors';
export {
  HttpClient,
  type HttpClientOptions,
  type RequestOptions,
  type FailedResponse,
  type Query,
} from './client';
export { parseRetryAfter } from './retry-after';
export { validationMessage, formatPath } from './validation';
