import AdminClient
import AdminProtocol
import ArgumentParser
import Foundation
import SkiffText

/// The options every client command shares: which broker, and whether to print JSON.
struct ClientOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The broker's admin address (default: $SKIFF_BROKER, else \(ClientOptions.defaultBroker)).",
            valueName: "host:port"))
    var broker: String?

    @Option(
        name: .customLong("auth-token-file"),
        help: ArgumentHelp(
            "A file holding the token for a broker that requires one (default: $SKIFF_AUTH_TOKEN).",
            valueName: "file"))
    var authTokenFile: String?

    @Flag(help: "Print JSON for scripts instead of tables.")
    var json = false

    /// Where a broker listens when nobody says otherwise.
    static let defaultBroker = "127.0.0.1:9292"

    /// The address to use: `--broker`, else `$SKIFF_BROKER`, else the default.
    var brokerAddress: String {
        if let broker { return broker }
        if let env = ProcessInfo.processInfo.environment["SKIFF_BROKER"], !env.isEmpty { return env }
        return Self.defaultBroker
    }

    func validate() throws {
        guard AdminClient.parseAddress(brokerAddress) != nil else {
            let source = broker == nil ? " (from SKIFF_BROKER)" : ""
            throw ValidationError(
                "invalid broker address '\(SafeText.escape(brokerAddress))'\(source): expected host:port, e.g. \(Self.defaultBroker)"
            )
        }
    }

    /// Runs `body` with a client for the broker, closing the client afterwards.
    func withClient<T>(_ body: (AdminClient) async throws -> T) async throws -> T {
        let (host, port) = AdminClient.parseAddress(brokerAddress)!
        let token = try ClientToken.resolve(file: authTokenFile)
        let client = AdminClient(host: host, port: port, clientName: "skiff-cli", authToken: token)
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }
}

/// The token a client sends in its handshake: from `--auth-token-file`, else `$SKIFF_AUTH_TOKEN`.
enum ClientToken {
    /// The token, or nil when neither source gives one. The file's first line that is neither
    /// blank nor a `#` comment is the token; `admin TOKEN` / `read-only TOKEN` (a broker token
    /// file's line) works too.
    static func resolve(file: String?) throws -> String? {
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw CLIError("cannot read the token file \(SafeText.escape(file)): \(error.localizedDescription)")
            }
            let token = try token(in: text, file: file)
            TokenFilePermissions.warnIfShared(file)
            return token
        }
        if let env = ProcessInfo.processInfo.environment["SKIFF_AUTH_TOKEN"], !env.isEmpty { return env }
        return nil
    }

    static func token(in text: String, file: String) throws -> String {
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            if fields.count == 1 { return String(first) }
            if fields.count == 2 && (first == "admin" || first == "read-only") { return String(fields[1]) }
            throw CLIError(
                "the token file \(SafeText.escape(file)) must hold the token alone on a line (a token has no spaces)")
        }
        throw CLIError("the token file \(SafeText.escape(file)) holds no token")
    }
}

/// The check both sides make of a token file: one that users other than its owner can read gives
/// the token away, so it is warned about (not refused: the owner may have reasons).
enum TokenFilePermissions {
    /// Writes a warning to standard error when the group or every user may read `path` (the file
    /// itself: a symbolic link is followed).
    static func warnIfShared(_ path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return }
        let mode = Int(status.st_mode) & 0o777
        guard mode & 0o044 != 0 else { return }
        let who = mode & 0o004 != 0 ? "every user" : "its group"
        let octal = "0" + String(mode, radix: 8)
        Console.error(
            "skiff: WARNING: the token file \(SafeText.escape(path)) is readable by \(who) (mode \(octal)); chmod 600 it"
        )
    }
}

// MARK: - Argument values

/// `key=value` (topic configs, record headers); the value may be empty and may contain `=`.
struct KeyValue: Hashable {
    /// The part before the first `=`.
    var key: String
    /// The part after it.
    var value: String

    /// Parses `key=value`, refusing a missing `=` or an empty key.
    static func parse(_ text: String) throws -> KeyValue {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("expected key=value with a non-empty key")
        }
        return KeyValue(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }

    /// The pairs as a dictionary; a key given twice is refused.
    static func dictionary(_ pairs: [KeyValue], option: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in pairs {
            guard result.updateValue(pair.value, forKey: pair.key) == nil else {
                throw ValidationError("\(option) sets '\(SafeText.escape(pair.key))' more than once")
            }
        }
        return result
    }
}

/// A point in time given on the command line, in SkiffText's one time syntax (``TimeInput``):
/// epoch milliseconds, ISO-8601 (`2026-11-21`, `2026-11-21T08:57:53.250Z`, `2026-11-21 10:57+02:00`),
/// `now`, or a relative time (`-30s`, `-15m`, `-2h`, `-1d`). A date or date-time without a zone is
/// UTC (docs/decisions.md: the CLI's output prints UTC, so what it prints reads back the same).
enum Timestamp {
    /// Milliseconds since the epoch for `text` (a leading `@` allowed).
    /// - Throws: a `ValidationError` naming the problem and every accepted form.
    static func parse(_ text: String, nowMs: Int64 = WallClock.nowMs()) throws -> Int64 {
        do {
            return try TimeInput.parse(text, nowMs: nowMs, utcOffsetSeconds: 0)
        } catch {
            throw refusal(error)
        }
    }

    /// The time `text` stands for where a position may also be a word or an offset: nil for a
    /// plain number (an offset, or `-N`) and for text in none of the time forms, so the caller
    /// can list its other choices; a time form with a mistake (`2026-13-01`, `-5y`) throws.
    static func parseIfTime(_ text: String, nowMs: Int64 = WallClock.nowMs()) throws -> Int64? {
        guard text.hasPrefix("@") || !isPlainNumber(text) else { return nil }
        do {
            return try TimeInput.parse(text, nowMs: nowMs, utcOffsetSeconds: 0)
        } catch  where error.isUnrecognized && !text.hasPrefix("@") {
            return nil
        } catch {
            throw refusal(error)
        }
    }

    /// Whether `text` is an optional sign and decimal digits (an offset, or `-N`).
    static func isPlainNumber(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.utf8.dropFirst() : text.utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private static func refusal(_ error: TimeInputError) -> ValidationError {
        ValidationError("'\(SafeText.escape(error.input))' is not a timestamp (\(error.problem)); use \(help)")
    }

    /// Every accepted form, for help and errors.
    static let help = TimeInput.accepted + "; a date or time without a zone is UTC"
}

/// Where `consume` starts: `earliest`, `latest`, an offset, `-N` (the last N records of each
/// partition, kcat's `-o -N`), or a time (`@TIMESTAMP`, or any form of ``Timestamp`` that is not a
/// plain number: `2026-11-21T08:00Z`, `-15m`, `now`).
enum StartPosition: Equatable {
    case earliest
    case latest
    case offset(Int64)
    /// The last N records of each partition.
    case last(Int64)
    case timestamp(Int64)

    static func parse(_ text: String) throws -> StartPosition {
        switch text.lowercased() {
        case "earliest", "beginning": return .earliest
        case "latest", "end": return .latest
        default: break
        }
        if Timestamp.isPlainNumber(text) {
            // -N: the last N records of each partition (kcat's -o -N); a count beyond Int64 is "all".
            if text.hasPrefix("-") { return .last(Int64(text.dropFirst()) ?? Int64.max) }
            guard let offset = Int64(text) else { throw ValidationError("\(text) is too large for an offset") }
            return .offset(offset)
        }
        if let ms = try Timestamp.parseIfTime(text) { return .timestamp(ms) }
        throw ValidationError(
            "use earliest, latest, an offset (0 or more), -N (the last N records of each partition) or a time: "
                + Timestamp.help)
    }

    /// The first fetch's start for a partition whose records are `logStart ..< highWatermark`.
    func fetchStart(logStart: Int64, highWatermark: Int64) -> FetchStart {
        switch self {
        case .earliest: .earliest
        case .latest: .latest
        case .offset(let offset): .offset(offset)
        case .last(let count): .offset(max(logStart, highWatermark - min(count, highWatermark)))
        case .timestamp(let ms): .timestamp(ms)
        }
    }
}

/// Where `group reset` moves offsets: `earliest`, `latest`, an offset, a time (`@TIMESTAMP` or
/// any form of ``Timestamp`` that is not a plain number) or `shift:N`.
enum ResetPosition {
    static func parse(_ text: String) throws -> ResetTarget {
        switch text.lowercased() {
        case "earliest": return .earliest
        case "latest": return .latest
        default: break
        }
        if text.lowercased().hasPrefix("shift:") {
            let amount = text.dropFirst("shift:".count)
            guard let n = Int64(amount.hasPrefix("+") ? amount.dropFirst() : amount) else {
                throw ValidationError("a shift is shift:N with N like 5 or -5")
            }
            return .shift(n)
        }
        if Timestamp.isPlainNumber(text) {
            guard let offset = Int64(text) else { throw ValidationError("\(text) is too large for an offset") }
            guard offset >= 0 else {
                throw ValidationError(
                    "\(offset) is not an offset: shift:\(offset) moves back \(offset.magnitude) records, and \(offset)m is \(offset.magnitude) minutes ago"
                )
            }
            return .offset(offset)
        }
        if let ms = try Timestamp.parseIfTime(text) { return .timestamp(ms) }
        throw ValidationError(
            "use earliest, latest, an offset (0 or more), shift:N or a time: " + Timestamp.help)
    }
}

/// A listening address for `skiff broker --listen`: `host:port`, `[v6]:port` or a bare port;
/// port 0 picks a free port.
struct ListenAddress {
    var host: String
    var port: Int

    static func parse(_ text: String) throws -> ListenAddress {
        func port(_ digits: Substring) -> Int? {
            guard let port = Int(digits), (0...65535).contains(port) else { return nil }
            return port
        }
        if let bare = port(Substring(text)) { return ListenAddress(host: "127.0.0.1", port: bare) }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":"), let p = port(rest.dropFirst()) {
                return ListenAddress(host: String(text[text.index(after: text.startIndex)..<close]), port: p)
            }
        } else if let colon = text.lastIndex(of: ":"), colon != text.startIndex,
            let p = port(text[text.index(after: colon)...])
        {
            return ListenAddress(host: String(text[..<colon]), port: p)
        }
        throw ValidationError("expected host:port, e.g. 127.0.0.1:9292 (port 0 picks a free one)")
    }

    /// Whether only this machine can connect.
    var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
