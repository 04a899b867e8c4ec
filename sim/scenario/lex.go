package scenario

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a parse error at a line and column (both 1-based; the column
// counts characters, not bytes).
type Error struct {
	Line, Col int
	Msg       string
	// Near is the script's own text where the mistake is (the word, number
	// or quoted text at Line and Col), or "" at the end of a line and for
	// mistakes of the whole text. A page in another language than the
	// English of Msg can show it: it is the author's, not ours.
	Near string
	// EndOfLine: the line ended where more was expected.
	EndOfLine bool
}

func (e *Error) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

type tokenKind int

const (
	tokWord  tokenKind = iota // a run of characters that are not space or punctuation
	tokStr                    // "a quoted string" (text holds the contents)
	tokPunct                  // , | -> = != < <= > >=
	tokEOL                    // end of line (or a comment)
)

type token struct {
	kind tokenKind
	text string
	col  int // 1-based, in characters
}

// describe names a token for "found ..." in error messages.
func (t token) describe() string {
	if t.kind == tokEOL {
		return "the end of the line"
	}
	return strconv.Quote(t.text)
}

// isWordByte reports whether c can be part of a word token.
func isWordByte(c byte) bool {
	switch c {
	case ' ', '\t', ',', '|', '"', '#', '=', '<', '>', '!':
		return false
	}
	return true
}

// lexLine splits one line (without its newline) into tokens, ending with a
// tokEOL. Comments run from '#' to the end of the line.
func lexLine(line string, lineNo int) ([]token, *Error) {
	var toks []token
	colAt := func(off int) int { return utf8.RuneCountInString(line[:off]) + 1 }
	fail := func(off int, format string, args ...any) ([]token, *Error) {
		_, size := utf8.DecodeRuneInString(line[off:])
		return nil, &Error{Line: lineNo, Col: colAt(off), Msg: fmt.Sprintf(format, args...), Near: line[off : off+size]}
	}
	i := 0
	for i < len(line) {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '#':
			i = len(line)
		case c == '"':
			j, bad, msg := quoteEnd(line, i)
			if msg != "" {
				return fail(bad, "%s", msg)
			}
			toks = append(toks, token{tokStr, line[i+1 : j], colAt(i)})
			i = j + 1
		case c == ',' || c == '|':
			toks = append(toks, token{tokPunct, line[i : i+1], colAt(i)})
			i++
		case c == '=' || c == '<' || c == '>' || c == '!':
			n := 1
			if i+1 < len(line) && line[i+1] == '=' {
				n = 2
			}
			if c == '!' && n == 1 {
				return fail(i, "expected != , found \"!\"")
			}
			toks = append(toks, token{tokPunct, line[i : i+n], colAt(i)})
			i += n
		default:
			j := i
			for j < len(line) && isWordByte(line[j]) {
				if line[j] == '-' && j+1 < len(line) && line[j+1] == '>' {
					break
				}
				j++
			}
			if j == i { // "->" at the start of a word
				toks = append(toks, token{tokPunct, "->", colAt(i)})
				i += 2
				continue
			}
			toks = append(toks, token{tokWord, line[i:j], colAt(i)})
			i = j
		}
	}
	toks = append(toks, token{tokEOL, "", colAt(len(line))})
	return toks, nil
}

// quoteEnd returns the index of the quote that closes the quoted text
// starting at line[i], or where and why it is not one.
func quoteEnd(line string, i int) (end, bad int, msg string) {
	j := i + 1
	for j < len(line) && line[j] != '"' {
		if line[j] == '\\' {
			return 0, j, "a quoted text cannot contain a backslash"
		}
		j++
	}
	if j == len(line) {
		return 0, i, "this quoted text has no closing \""
	}
	return j, 0, ""
}

// checkLine rejects input that is not a text: invalid UTF-8 and control
// characters other than tab (newlines are split off before).
func checkLine(line string, lineNo int) *Error {
	for off, r := range line {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(line[off:]); size <= 1 {
				return &Error{Line: lineNo, Col: utf8.RuneCountInString(line[:off]) + 1, Msg: "the text is not valid UTF-8"}
			}
		}
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return &Error{Line: lineNo, Col: utf8.RuneCountInString(line[:off]) + 1,
				Msg: fmt.Sprintf("unexpected control character %U", r)}
		}
	}
	return nil
}

// splitLines splits text at "\n", dropping one trailing "\r" per line.
func splitLines(text string) []string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}
