package shape

import (
	"errors"
	"strconv"
	"strings"
)

// jsToken is one significant token of a JavaScript text: an identifier or
// keyword, a number, or one punctuation character; strings, templates and
// regular expressions become one token "str".
type jsToken struct {
	text string
	line int
}

// controlWords open a block after a parenthesised head that is not a
// function's parameter list.
var controlWords = map[string]bool{"if": true, "for": true, "while": true, "switch": true, "catch": true, "with": true}

// regexAfter: after these tokens a '/' starts a regular expression, not a
// division.
var regexAfter = map[string]bool{"(": true, ",": true, "=": true, ":": true, "[": true, "!": true, "&": true, "|": true,
	"?": true, "{": true, "}": true, ";": true, "return": true, "typeof": true, "case": true, "+": true, "-": true, "*": true, "<": true, ">": true}

func scanJS(path, src string) ([]Func, error) {
	toks, err := lexJS(src)
	if err != nil {
		return nil, errors.New(path + ": " + err.Error())
	}
	type open struct {
		fn   bool
		name string
		line int
	}
	var stack []open
	var out []Func
	for i, t := range toks {
		switch t.text {
		case "{":
			fn, name := opensFunction(toks, i)
			stack = append(stack, open{fn, name, t.line})
		case "}":
			if len(stack) == 0 {
				return nil, errors.New(path + ":" + strconv.Itoa(t.line) + ": unbalanced }")
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if o.fn {
				out = append(out, Func{File: path, Line: o.line, Name: o.name, Lines: t.line - o.line + 1})
			}
		}
	}
	if len(stack) != 0 {
		return nil, errors.New(path + ": unbalanced {")
	}
	return out, nil
}

// opensFunction reports whether the '{' at toks[i] opens a function body,
// and the function's name when it has one.
func opensFunction(toks []jsToken, i int) (bool, string) {
	if i == 0 {
		return false, ""
	}
	prev := toks[i-1].text
	if prev == ">" && i >= 2 && toks[i-2].text == "=" { // =>
		return true, "(arrow)"
	}
	if prev != ")" {
		return false, ""
	}
	depth := 0
	j := i - 1
	for ; j >= 0; j-- {
		switch toks[j].text {
		case ")":
			depth++
		case "(":
			depth--
		}
		if depth == 0 {
			break
		}
	}
	if j <= 0 {
		return false, ""
	}
	before := toks[j-1].text
	switch {
	case controlWords[before]:
		return false, ""
	case before == "function":
		return true, "(function)"
	case isIdent(before):
		return true, before
	}
	return false, ""
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// jsLexer splits a JavaScript text into significant tokens.
type jsLexer struct {
	src  string
	i    int
	line int
	toks []jsToken
	// depth counts the open ordinary braces; tmpl holds, for each template
	// substitution (${ ... }) still open, the depth at which it opened
	depth int
	tmpl  []int
}

// lexJS splits src into significant tokens.
func lexJS(src string) ([]jsToken, error) {
	l := &jsLexer{src: src, line: 1}
	for l.i < len(src) {
		if err := l.next(); err != nil {
			return nil, errors.New("line " + strconv.Itoa(l.line) + ": " + err.Error())
		}
	}
	if len(l.tmpl) > 0 {
		return nil, errors.New("unterminated template substitution")
	}
	return l.toks, nil
}

func (l *jsLexer) emit(s string) { l.toks = append(l.toks, jsToken{s, l.line}) }

func (l *jsLexer) last() string {
	if len(l.toks) == 0 {
		return "("
	}
	return l.toks[len(l.toks)-1].text
}

// next reads one token, or skips space or a comment.
func (l *jsLexer) next() error {
	src, c := l.src, l.src[l.i]
	switch {
	case c == '\n':
		l.line++
		l.i++
	case c == ' ' || c == '\t' || c == '\r':
		l.i++
	case strings.HasPrefix(src[l.i:], "//"):
		for l.i < len(src) && src[l.i] != '\n' {
			l.i++
		}
	case strings.HasPrefix(src[l.i:], "/*"):
		end := strings.Index(src[l.i+2:], "*/")
		if end < 0 {
			return errors.New("unterminated comment")
		}
		l.line += strings.Count(src[l.i:l.i+2+end], "\n")
		l.i += end + 4
	case c == '"' || c == '\'':
		return l.quoted(c)
	case c == '`':
		l.i++
		return l.template()
	case c == '}' && len(l.tmpl) > 0 && l.tmpl[len(l.tmpl)-1] == l.depth:
		l.tmpl = l.tmpl[:len(l.tmpl)-1]
		l.i++
		return l.template()
	case c == '/' && regexAfter[l.last()]:
		return l.regexp()
	case isIdent(src[l.i:l.i+1]) || c >= '0' && c <= '9':
		j := l.i
		for j < len(src) && (isIdent(src[j:j+1]) || src[j] >= '0' && src[j] <= '9' || src[j] == '.' && c >= '0' && c <= '9') {
			j++
		}
		l.emit(src[l.i:j])
		l.i = j
	default:
		if c == '{' {
			l.depth++
		} else if c == '}' {
			l.depth--
		}
		l.emit(string(c))
		l.i++
	}
	return nil
}

// quoted skips a string in quotes q.
func (l *jsLexer) quoted(q byte) error {
	src, j := l.src, l.i+1
	for j < len(src) && src[j] != q {
		if src[j] == '\\' {
			j++
		}
		if j < len(src) && src[j] == '\n' {
			return errors.New("newline in a string")
		}
		j++
	}
	l.i = j + 1
	l.emit("str")
	return nil
}

// template skips a template literal's text, from after its ` or after the
// } that ends a substitution, to its closing ` or the next ${.
func (l *jsLexer) template() error {
	src := l.src
	for l.i < len(src) {
		switch src[l.i] {
		case '\\':
			l.i++
		case '\n':
			l.line++
		case '`':
			l.i++
			l.emit("str")
			return nil
		case '$':
			if l.i+1 < len(src) && src[l.i+1] == '{' {
				l.i += 2
				l.tmpl = append(l.tmpl, l.depth)
				l.emit("str")
				return nil
			}
		}
		l.i++
	}
	return errors.New("unterminated template literal")
}

// regexp skips a regular expression literal and its flags.
func (l *jsLexer) regexp() error {
	src, j := l.src, l.i+1
	class := false
	for j < len(src) && (src[j] != '/' || class) {
		switch src[j] {
		case '\\':
			j++
		case '[':
			class = true
		case ']':
			class = false
		case '\n':
			return errors.New("newline in a regular expression")
		}
		j++
	}
	l.i = j + 1
	for l.i < len(src) && isIdent(src[l.i:l.i+1]) {
		l.i++
	}
	l.emit("str")
	return nil
}
