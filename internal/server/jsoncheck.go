package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/flero/terraform-provider-flero/internal/api"
)

// checkJSONInput refuses, with the path of the field, what encoding/json would accept
// silently: invalid UTF-8 in a string (it would become U+FFFD), a key given twice in
// one object (the last would win), a key of the request object given twice in
// different case (encoding/json matches field names without regard to case), and a
// raw control character inside a string. Malformed JSON is left to the decoder, which
// reports it with its byte offset.
func checkJSONInput(body []byte) *apiError {
	s := &jsonScan{b: body}
	s.value("", 0)
	if s.err == nil {
		return nil
	}
	if s.err.path == "" {
		s.err.path = "(body)" // the body itself is the offending value
	}
	return &apiError{status: http.StatusBadRequest, code: api.CodeBadRequest,
		msg:    fmt.Sprintf("The request body is not valid: %s: %s.", s.err.path, s.err.msg),
		fields: []api.FieldError{{Path: s.err.path, Message: s.err.msg}}}
}

type jsonProblem struct{ path, msg string }

type jsonScan struct {
	b   []byte
	i   int
	err *jsonProblem // the first problem; nil also when the JSON is merely malformed
	bad bool         // malformed: stop, the decoder will say where
}

const maxJSONDepth = 64

func (s *jsonScan) ws() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

func (s *jsonScan) stop() bool { return s.err != nil || s.bad }

func (s *jsonScan) value(path string, depth int) {
	s.ws()
	if s.i >= len(s.b) || depth > maxJSONDepth {
		s.bad = true
		return
	}
	switch s.b[s.i] {
	case '{':
		s.object(path, depth)
	case '[':
		s.array(path, depth)
	case '"':
		s.str(path)
	default:
		for s.i < len(s.b) && !strings.ContainsRune(",]} \t\r\n", rune(s.b[s.i])) {
			s.i++
		}
	}
}

func (s *jsonScan) object(path string, depth int) {
	s.i++ // {
	seen := map[string]string{}
	if s.closes('}') {
		return
	}
	for {
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			s.bad = true
			return
		}
		raw := s.str(joinPath(path, "?"))
		if s.stop() {
			return
		}
		var key string
		if json.Unmarshal(raw, &key) != nil {
			s.bad = true
			return
		}
		child := joinPath(path, key)
		// The request object's fields are matched without regard to case; inside it
		// (a map such as a credential's data) keys are exact.
		fold := key
		if depth == 0 {
			fold = strings.ToLower(key)
		}
		if prev, dup := seen[fold]; dup {
			msg := "the key is given twice"
			if prev != key {
				msg = fmt.Sprintf("the key is given twice (as %q and %q: keys are matched without regard to case)", prev, key)
			}
			s.err = &jsonProblem{child, msg}
			return
		}
		seen[fold] = key
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			s.bad = true
			return
		}
		s.i++
		s.value(child, depth+1)
		if s.stop() || !s.more('}') {
			return
		}
	}
}

func (s *jsonScan) array(path string, depth int) {
	s.i++ // [
	if s.closes(']') {
		return
	}
	for n := 0; ; n++ {
		s.value(path+"["+strconv.Itoa(n)+"]", depth+1)
		if s.stop() || !s.more(']') {
			return
		}
	}
}

// closes consumes end when it comes next (an empty object or array).
func (s *jsonScan) closes(end byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == end {
		s.i++
		return true
	}
	return false
}

// more consumes what follows a member or an element: true after a comma, false at
// end or (malformed) anything else.
func (s *jsonScan) more(end byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ',' {
		s.i++
		return true
	}
	if !s.closes(end) {
		s.bad = true
	}
	return false
}

// str scans a string and returns it raw, quotes included.
func (s *jsonScan) str(path string) []byte {
	start := s.i
	s.i++ // "
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return s.b[start:s.i]
		case c == '\\':
			s.i += 2
		case c < 0x20:
			s.err = &jsonProblem{path, "control characters must be escaped in JSON, and are not accepted in this field"}
			return nil
		case c < utf8.RuneSelf:
			s.i++
		default:
			r, size := utf8.DecodeRune(s.b[s.i:])
			if r == utf8.RuneError && size <= 1 {
				s.err = &jsonProblem{path, "the value is not valid UTF-8"}
				return nil
			}
			s.i += size
		}
	}
	s.bad = true
	return nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
