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
	for i := 0; i < len(line) && line[i] != '#'; {
		c := line[i]
		if c == ' ' || c == '\t' {
			i++
			continue
		}
		// The token is line[start:end]; the next one starts at next.
		kind, start, end := tokPunct, i, i+1
		next := end
		switch {
		case c == '"':
			j, bad, msg := quoteEnd(line, i)
			if msg != "" {
				return nil, lexError(line, lineNo, bad, msg)
			}
			kind, start, end, next = tokStr, i+1, j, j+1
		case c == ',' || c == '|':
		case c == '=' || c == '<' || c == '>' || c == '!':
			if i+1 < len(line) && line[i+1] == '=' {
				end++
			} else if c == '!' {
				return nil, lexError(line, lineNo, i, "expected != , found \"!\"")
			}
			next = end
		default:
			j := i
			for j < len(line) && isWordByte(line[j]) && !(line[j] == '-' && j+1 < len(line) && line[j+1] == '>') {
				j++
			}
			kind, end = tokWord, j
			if j == i { // "->" at the start of a word
				kind, end = tokPunct, i+2
			}
			next = end
		}
		toks = append(toks, token{kind, line[start:end], colAt(line, i)})
		i = next
	}
	return append(toks, token{tokEOL, "", colAt(line, len(line))}), nil
}

// colAt is the column (1-based, in characters) of byte off of line.
func colAt(line string, off int) int { return utf8.RuneCountInString(line[:off]) + 1 }

// lexError is the error msg at byte off of line: near the character there.
func lexError(line string, lineNo, off int, msg string) *Error {
	_, size := utf8.DecodeRuneInString(line[off:])
	return &Error{Line: lineNo, Col: colAt(line, off), Msg: msg, Near: line[off : off+size]}
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
				return &Error{Line: lineNo, Col: colAt(line, off), Msg: "the text is not valid UTF-8"}
			}
		}
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return &Error{Line: lineNo, Col: colAt(line, off), Msg: fmt.Sprintf("unexpected control character %U", r)}
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
