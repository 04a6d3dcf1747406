#include "tf1hub/status.h"

namespace tf1hub {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kCancelled: return "CANCELLED";
    case StatusCode::kUnknown: return "UNKNOWN";
    case StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case StatusCode::kDeadlineExceeded: return "DEADLINE_EXCEEDED";
    case StatusCode::kNotFound: return "NOT_FOUND";
    case StatusCode::kAlreadyExists: return "ALREADY_EXISTS";
    case StatusCode::kPermissionDenied: return "PERMISSION_DENIED";
    case StatusCode::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case StatusCode::kFailedPrecondition: return "FAILED_PRECONDITION";
    case StatusCode::kAborted: return "ABORTED";
    case StatusCode::kOutOfRange: return "OUT_OF_RANGE";
    case StatusCode::kUnimplemented: return "UNIMPLEMENTED";
    case StatusCode::kInternal: return "INTERNAL";
    case StatusCode::kUnavailable: return "UNAVAILABLE";
    case StatusCode::kDataLoss: return "DATA_LOSS";
    case StatusCode::kUnauthenticated: return "UNAUTHENTICATED";
  }
  return "UNKNOWN_CODE";
}

Status::Status(StatusCode code, std::string message) {
  if (code != StatusCode::kOk) {
    state_ = std::make_shared<const State>(State{code, std::move(message)});
  }
}

const std::string& Status::message() const {
  static const std::string* const kEmpty = new std::string();
  return ok() ? *kEmpty : state_->message;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(code()));
  out += ": ";
  out += message();
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string msg(context);
  msg += ": ";
  msg += message();
  return Status(code(), std::move(msg));
}

#define TF1HUB_DEFINE_ERROR_(Name, code) \
  Status Name(std::string message) { return Status(StatusCode::code, std::move(message)); }
TF1HUB_DEFINE_ERROR_(InvalidArgumentError, kInvalidArgument)
TF1HUB_DEFINE_ERROR_(NotFoundError, kNotFound)
TF1HUB_DEFINE_ERROR_(AlreadyExistsError, kAlreadyExists)
TF1HUB_DEFINE_ERROR_(FailedPreconditionError, kFailedPrecondition)
TF1HUB_DEFINE_ERROR_(OutOfRangeError, kOutOfRange)
TF1HUB_DEFINE_ERROR_(UnimplementedError, kUnimplemented)
TF1HUB_DEFINE_ERROR_(InternalError, kInternal)
TF1HUB_DEFINE_ERROR_(DataLossError, kDataLoss)
TF1HUB_DEFINE_ERROR_(ResourceExhaustedError, kResourceExhausted)
TF1HUB_DEFINE_ERROR_(UnavailableError, kUnavailable)
TF1HUB_DEFINE_ERROR_(PermissionDeniedError, kPermissionDenied)
TF1HUB_DEFINE_ERROR_(UnknownError, kUnknown)
#undef TF1HUB_DEFINE_ERROR_

}  // namespace tf1hub
