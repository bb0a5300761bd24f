// A tiny full-screen program on CursesTerminal, driven by the end-to-end tests under tmux (and
// handy by hand): it shows every style role, CJK and emoji text, the size, and the last key.
//
//   CursesProbe [--log FILE] [--no-color] [--keys-as-control]
//
// Keys: q quits; e writes a line to standard error; ! crashes (a Swift trap); anything else is
// shown as "last key".

import CursesTerminal
import TerminalUI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func describe(_ key: Key) -> String {
    switch key {
    case .character(let c): "char \(c)"
    case .enter: "enter"
    case .escape: "escape"
    case .tab: "tab"
    case .backTab: "backtab"
    case .backspace: "backspace"
    case .delete: "delete"
    case .up: "up"
    case .down: "down"
    case .left: "left"
    case .right: "right"
    case .home: "home"
    case .end: "end"
    case .pageUp: "pageup"
    case .pageDown: "pagedown"
    case .function(let n): "F\(n)"
    case .control(let c): "ctrl-\(c)"
    case .resize: "resize"
    case .terminate: "terminate"
    case .paste(let text): "paste of \(text.count) characters"
    }
}

func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

/// Traps like any Swift runtime failure would (the optional is always nil).
func crash(_ count: Int) -> Never {
    let nothing: Int? = count < 0 ? count : nil
    print(nothing!)
    fatalError("unreachable")
}

var arguments = CommandLine.arguments.dropFirst()
var colors = CursesTerminal.ColorMode.automatic
var interrupt = CursesTerminal.InterruptBehavior.restoreAndExit
var savedStandardError: Int32 = -1
while let argument = arguments.popFirst() {
    switch argument {
    case "--log":
        guard let path = arguments.popFirst() else {
            writeStandardError("--log needs a file\n")
            exit(2)
        }
        do {
            savedStandardError = try CursesTerminal.redirectStandardError(toFile: path)
        } catch {
            writeStandardError("\(error)\n")
            exit(1)
        }
    case "--no-color": colors = .never
    case "--keys-as-control": interrupt = .deliverAsKey
    default:
        writeStandardError("unknown argument \(argument)\n")
        exit(2)
    }
}

let terminal: CursesTerminal
do {
    terminal = try CursesTerminal(colors: colors, interrupt: interrupt)
} catch {
    writeStandardError("\(error)\n")
    exit(1)
}

var lastKey = "none"
var keyCount = 0
var resizes = 0
var frames = 0
while true {
    let size = terminal.size
    var screen = ScreenBuffer(size: size)
    frames += 1
    screen.fill(x: 0, y: 0, width: size.width, height: 1, role: .title)
    screen.write(" Skiff curses probe ", x: 1, y: 0, role: .title, bold: true)
    if size.height >= 3 {
        let bottom = size.height - 2
        screen.write("┌" + String(repeating: "─", count: max(0, size.width - 2)) + "┐", x: 0, y: 1, role: .border)
        for y in 2..<bottom {
            screen.write("│", x: 0, y: y, role: .border)
            screen.write("│", x: size.width - 1, y: y, role: .border)
        }
        screen.write("└" + String(repeating: "─", count: max(0, size.width - 2)) + "┘", x: 0, y: bottom, role: .border)
    }
    let inner = max(0, size.width - 4)
    let lines: [(String, StyleRole)] = [
        ("size: \(size.width)x\(size.height)  resizes: \(resizes)  pid: \(getpid())", .normal),
        ("last key: \(lastKey)  keys: \(keyCount)", .good),
        ("colors: \(terminal.usesColor ? "yes" : "no")  frames: \(frames)", .dim),
        ("wide: 日本語のテキスト 🚀 カフカ ok", .normal),
        ("shift: " + String(repeating: ".", count: keyCount % 3) + "漢字abc", .normal),
    ]
    for (row, line) in lines.enumerated() {
        screen.write(line.0, x: 2, y: 2 + row, role: line.1, maxWidth: inner)
    }
    var x = 2
    for role in StyleRole.allCases {
        x += screen.write("\(role)", x: x, y: 2 + lines.count, role: role, maxWidth: max(0, inner + 2 - x)) + 1
    }
    screen.fill(x: 0, y: size.height - 1, width: size.width, height: 1, role: .status)
    x = screen.write(" q", x: 0, y: size.height - 1, role: .key)
    x += screen.write(" quit  ", x: x, y: size.height - 1, role: .status)
    x += screen.write("e", x: x, y: size.height - 1, role: .key)
    screen.write(" write to stderr", x: x, y: size.height - 1, role: .status)
    terminal.draw(screen)

    guard let key = terminal.readKey(timeoutMilliseconds: 100) else { continue }
    if key == .character("q") { break }
    if key == .character("e") { writeStandardError("probe: a line on standard error\n") }
    if key == .character("!") { crash(keyCount) }
    if key == .resize { resizes += 1 }
    lastKey = describe(key)
    keyCount += 1
}
terminal.restore()
CursesTerminal.restoreStandardError(from: savedStandardError)
print("probe: bye")
