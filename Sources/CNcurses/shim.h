// The slice of ncurses (wide-character build) that CursesTerminal uses, made importable by
// Swift 6: global variables and function-like macros are wrapped in static inline accessors,
// because Swift 6 rejects C globals as not concurrency-safe and does not import such macros.
#ifndef SKIFF_CNCURSES_SHIM_H
#define SKIFF_CNCURSES_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <ncurses.h>
#include <stdio.h>
#include <wchar.h>

// Not visible through Swift's Glibc module.
extern int wcwidth(wchar_t c);

// Global variables.
static inline WINDOW *skiff_stdscr(void) { return stdscr; }
static inline int skiff_lines(void) { return LINES; }
static inline int skiff_cols(void) { return COLS; }
static inline int skiff_colors(void) { return COLORS; }
static inline int skiff_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *skiff_stdout(void) { return stdout; }
static inline FILE *skiff_stdin(void) { return stdin; }

// Video attributes (macros built from NCURSES_BITS).
static inline attr_t skiff_a_normal(void) { return A_NORMAL; }
static inline attr_t skiff_a_bold(void) { return A_BOLD; }
static inline attr_t skiff_a_dim(void) { return A_DIM; }
static inline attr_t skiff_a_reverse(void) { return A_REVERSE; }
static inline attr_t skiff_a_underline(void) { return A_UNDERLINE; }
static inline attr_t skiff_a_standout(void) { return A_STANDOUT; }

// Key codes that are function-like macros.
static inline int skiff_key_f(int n) { return KEY_F(n); }
static inline int skiff_key_max(void) { return KEY_MAX; }

#endif
