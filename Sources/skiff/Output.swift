import Foundation
import SkiffText
import Synchronization

// Everything the commands print goes through here: tables and JSON. Terminal-safe text, display
// widths and human units come from SkiffText (`SafeText`, `DisplayWidth`, `Format`), shared with
// the terminal UI.

// MARK: - Writing

/// Standard output (buffered, flushed explicitly and before standard error is written) and
/// standard error, written as UTF-8 bytes.
enum Console {
    private static let buffer = Mutex<[UInt8]>([])
    private static let bufferLimit = 64 << 10

    /// Appends `text` to standard output's buffer, writing it out when the buffer is full.
    static func out(_ text: String) {
        buffer.withLock { buffer in
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= bufferLimit {
                writeAll(STDOUT_FILENO, buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Writes `text` and a newline to standard output.
    static func line(_ text: String) {
        out(text + "\n")
    }

    /// Writes `text` and a newline to standard error, after flushing standard output so the two
    /// interleave in order on a terminal.
    static func error(_ text: String) {
        flush()
        writeAll(STDERR_FILENO, Array((text + "\n").utf8))
    }

    /// Rewrites the current line of standard error (a terminal's progress line): `\r`, the text,
    /// and the rest of the line cleared; an empty text clears the line.
    static func errorInPlace(_ text: String) {
        flush()
        writeAll(STDERR_FILENO, Array(("\r" + text + "\u{1B}[K").utf8))
    }

    /// Writes out what standard output has buffered.
    static func flush() {
        buffer.withLock { buffer in
            writeAll(STDOUT_FILENO, buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Whether standard output is a pipe whose reader has gone away (Linux reports POLLERR on
    /// the write end). A follower that has nothing to write would otherwise never find out.
    static func isOutputClosed() -> Bool {
        var descriptor = pollfd(fd: STDOUT_FILENO, events: 0, revents: 0)
        guard poll(&descriptor, 1, 0) > 0 else { return false }
        return descriptor.revents & Int16(POLLERR) != 0
    }

    /// Exits the way SIGPIPE would have once standard output's reader goes away, checking every
    /// quarter second (for commands that follow and may not write for a long time).
    static func exitWhenOutputCloses() -> Task<Void, Never> {
        Task.detached {
            while !Task.isCancelled {
                if isOutputClosed() { exit(128 + SIGPIPE) }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else if n < 0 && errno == EPIPE {
                    // The reader went away (`skiff consume … | head`). SwiftNIO ignores SIGPIPE for the
                    // whole process, so do what SIGPIPE would have done: stop at once, committing
                    // nothing more for records nobody read.
                    exit(128 + SIGPIPE)
                } else {
                    return  // a full disk or a closed terminal: nothing sensible left to do with output
                }
            }
        }
    }
}

// MARK: - Tables

/// A table with a header row and columns aligned by display width. Every cell is escaped
/// (``SafeText``) before it is measured, so wide characters and hostile bytes cannot break the
/// layout.
struct Table {
    /// How a column's cells line up.
    enum Alignment {
        /// Text: padded on the right.
        case left
        /// Numbers: padded on the left.
        case right
    }

    private let headers: [String]
    private let alignments: [Alignment]
    private var rows: [[String]] = []

    /// A table with these columns; a column is right-aligned when its alignment says so.
    init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    /// Adds a row; missing cells are empty.
    mutating func add(_ cells: [String]) {
        rows.append(cells.map(SafeText.escape))
    }

    /// Whether the table has no rows.
    var isEmpty: Bool { rows.isEmpty }

    /// The table as lines of text; columns are two spaces apart and no line has trailing spaces.
    func render() -> String {
        var widths = headers.map(DisplayWidth.of)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], DisplayWidth.of(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for index in headers.indices {
                let cell = index < cells.count ? cells[index] : ""
                let isLast = index == headers.count - 1
                if alignments[index] == .right {
                    parts.append(DisplayWidth.pad(cell, to: widths[index], alignRight: true))
                } else {
                    parts.append(isLast ? cell : DisplayWidth.pad(cell, to: widths[index]))
                }
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// Prints the table to standard output.
    func print() {
        Console.line(render())
    }
}

// MARK: - The clock

/// The wall clock, for "how long ago" and relative times (`--from -15m`).
enum WallClock {
    /// Milliseconds since the epoch, now.
    static func nowMs() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}

// MARK: - JSON

/// Machine output: one JSON document, or one JSON object per line for streams.
enum JSON {
    /// Prints `value` as one pretty-printed JSON document with sorted keys.
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Console.line(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// `value` as one line of JSON (for a stream of objects, one per line).
    static func line<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Milliseconds since the epoch, or nil for the protocol's -1 ("unknown").
    static func time(_ ms: Int64) -> Int64? {
        ms < 0 ? nil : ms
    }
}
