package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/flero/terraform-provider-flero/internal/api"
	"github.com/flero/terraform-provider-flero/internal/rules"
	"github.com/flero/terraform-provider-flero/internal/store"
)

// apiError is an error with its HTTP status and machine code.
type apiError struct {
	status     int
	code       string
	msg        string
	fields     []api.FieldError
	retryAfter int // seconds, sent as Retry-After when > 0
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: api.CodeBadRequest, msg: fmt.Sprintf(format, args...)}
}

func notFound(what, id string) *apiError {
	return &apiError{status: http.StatusNotFound, code: api.CodeNotFound, msg: fmt.Sprintf("%s %q was not found.", what, id)}
}

func conflict(field, format string, args ...any) *apiError {
	msg := fmt.Sprintf(format, args...)
	return &apiError{status: http.StatusConflict, code: api.CodeConflict, msg: msg, fields: []api.FieldError{{Path: field, Message: msg}}}
}

func preconditionFailed(current int64) *apiError {
	return &apiError{status: http.StatusPreconditionFailed, code: api.CodePreconditionFailed,
		msg: fmt.Sprintf("The object changed since it was read: its version is now %d. Read it again and retry.", current)}
}

// validate gathers format violations into one 422 validation_failed (nil if none).
func validate(vs ...*rules.Violation) error {
	var fields []api.FieldError
	var msgs []string
	for _, v := range vs {
		if v == nil {
			continue
		}
		fields = append(fields, api.FieldError{Path: v.Field, Message: v.Message})
		msgs = append(msgs, v.Message)
	}
	if len(fields) == 0 {
		return nil
	}
	return &apiError{status: http.StatusUnprocessableEntity, code: api.CodeValidation, msg: strings.Join(msgs, " "), fields: fields}
}

// check turns a rule's refusal into an error (nil when allowed): a typed nil
// *Violation must not become a non-nil error.
func check(v *rules.Violation) error {
	if v == nil {
		return nil
	}
	return v
}

// toAPIError maps any error to the API's answer. Unknown errors are 500 and their
// text stays in the server log (it never holds a secret either).
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var v *rules.Violation
	if errors.As(err, &v) {
		status := http.StatusUnprocessableEntity
		switch v.Kind {
		case rules.KindForbidden:
			status = http.StatusForbidden
		case rules.KindConflict:
			status = http.StatusConflict
		}
		e := &apiError{status: status, code: v.Code, msg: v.Message}
		if v.Field != "" {
			e.fields = []api.FieldError{{Path: v.Field, Message: v.Message}}
		}
		return e
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &apiError{status: http.StatusNotFound, code: api.CodeNotFound, msg: "Not found."}
	case errors.Is(err, store.ErrConstraint):
		return &apiError{status: http.StatusConflict, code: api.CodeConflict, msg: "The request conflicts with the current state of the platform."}
	}
	return &apiError{status: http.StatusInternalServerError, code: api.CodeInternal, msg: "Internal error."}
}

func writeError(w http.ResponseWriter, e *apiError, reqID string) {
	if e.retryAfter > 0 {
		w.Header().Set(api.HeaderRetryAfter, strconv.Itoa(e.retryAfter))
	}
	b, _ := json.Marshal(api.ErrorResponse{Error: api.ErrorBody{Code: e.code, Message: e.msg, Fields: e.fields, RequestID: reqID}})
	writeBody(w, e.status, b)
}
