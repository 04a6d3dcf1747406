// Status and StatusOr<T>: the single error channel of tf1hub.
//
// A Status is OK or carries one of TensorFlow's canonical error codes plus a
// message that says where, what, what was expected and what was found.
// Callers add context on the way up with Status::WithContext, e.g.
//   reading variable 'dense/kernel' from 'm/variables/variables': <cause>
//
//   StatusOr<Tensor> t = reader->Lookup("dense/kernel");
//   if (!t.ok()) return t.status().WithContext("loading the module");
//
// Thread safety: Status and StatusOr are values; distinct objects may be used
// from different threads freely.
#ifndef TF1HUB_STATUS_H_
#define TF1HUB_STATUS_H_

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tf1hub {

// TensorFlow's canonical codes (tensorflow/core/protobuf/error_codes.proto),
// same numbers.
enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// "INVALID_ARGUMENT", "DATA_LOSS", ... as TensorFlow prints them.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message);

  static Status OK() { return Status(); }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return ok() ? StatusCode::kOk : state_->code; }
  const std::string& message() const;

  // "DATA_LOSS: <message>", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>". OK stays OK.
  Status WithContext(std::string_view context) const;

  // Explicitly discards the status (for best-effort cleanup paths).
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const State> state_;  // null means OK; cheap to copy.
};

// Constructors for each code, named like TensorFlow's errors:: helpers.
Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status FailedPreconditionError(std::string message);
Status OutOfRangeError(std::string message);
Status UnimplementedError(std::string message);
Status InternalError(std::string message);
Status DataLossError(std::string message);
Status ResourceExhaustedError(std::string message);
Status UnavailableError(std::string message);
Status PermissionDeniedError(std::string message);
Status UnknownError(std::string message);

// A value or an error Status (never an OK Status without a value).
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const Status& status) : status_(status) {  // NOLINT: implicit
    assert(!status.ok() && "StatusOr built from an OK Status without a value");
    if (status_.ok()) status_ = InternalError("StatusOr built from OK Status");
  }
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit

  template <typename U>
    requires(std::is_convertible_v<U&&, T> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Status>)
  StatusOr(U&& value) : value_(std::forward<U>(value)) {}  // NOLINT: implicit

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  const T& value() const& { assert(ok()); return *value_; }
  T& value() & { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }

  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;  // OK when value_ is set.
  std::optional<T> value_;
};

}  // namespace tf1hub

#define TF1HUB_CONCAT_INNER_(a, b) a##b
#define TF1HUB_CONCAT_(a, b) TF1HUB_CONCAT_INNER_(a, b)

// Returns from the current function if `expr` (a Status) is not OK.
#define RETURN_IF_ERROR(expr)                      \
  do {                                             \
    ::tf1hub::Status tf1hub_status_ = (expr);      \
    if (!tf1hub_status_.ok()) return tf1hub_status_; \
  } while (0)

// Like RETURN_IF_ERROR, adding context to the returned error.
#define RETURN_IF_ERROR_WITH_CONTEXT(expr, context)                 \
  do {                                                              \
    ::tf1hub::Status tf1hub_status_ = (expr);                       \
    if (!tf1hub_status_.ok()) return tf1hub_status_.WithContext(context); \
  } while (0)

// ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (a StatusOr), returns its
// status on error, else moves its value into `lhs` (which may be a declaration).
#define ASSIGN_OR_RETURN(lhs, expr) \
  TF1HUB_ASSIGN_OR_RETURN_IMPL_(TF1HUB_CONCAT_(tf1hub_statusor_, __LINE__), lhs, expr)
#define TF1HUB_ASSIGN_OR_RETURN_IMPL_(var, lhs, expr) \
  auto var = (expr);                                  \
  if (!var.ok()) return var.status();                 \
  lhs = std::move(var).value()

#endif  // TF1HUB_STATUS_H_
