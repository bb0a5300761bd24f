import AdminClient
import AdminProtocol
import ArgumentParser
import Foundation
import SkiffText

/// `skiff search TOPIC`: finds records by key, value or header where they are stored (the
/// broker scans; only matches travel), over an offset or time range, with progress on stderr.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find records of a topic by key, value or header; the broker scans, only matches travel.",
        discussion: """
            Every condition must hold. Without --partition every partition is searched, in partition \
            order. --from and --to bound the search by offset (per partition) or time (@TIMESTAMP, ms or \
            ISO-8601, -15m): --from is the first offset or time looked at, --to the offset it stops before, or \
            the last time it includes. Matches print like `skiff consume` (--print-key, --format, --json); \
            progress goes to standard error. Exits 0 when the whole range was searched, 1 when the search \
            stopped early (the --max limit, damaged data skipped); the last line on standard error says why.
            """)

    @OptionGroup var options: ClientOptions

    @Argument(help: "The topic.")
    var topic: String

    @Option(name: .customLong("partition"), help: "Search only this partition; repeatable.")
    var partitions: [Int32] = []

    @Option(help: "The key is exactly this.")
    var key: String?

    @Option(name: .customLong("key-prefix"), help: "The key starts with this.")
    var keyPrefix: String?

    @Option(name: .customLong("key-contains"), help: "The key contains this.")
    var keyContains: String?

    @Option(name: .customLong("value-contains"), help: "The value contains this.")
    var valueContains: String?

    @Option(name: .customLong("value"), help: "The value is exactly this.")
    var value: String?

    @Flag(name: .customLong("null-value"), help: "The value is null (a tombstone).")
    var nullValue = false

    @Option(
        name: .customLong("header"),
        help: ArgumentHelp(
            "A header NAME is there, or NAME=TEXT: a header NAME contains TEXT; repeatable.", valueName: "name[=text]"))
    var headers: [String] = []

    @Flag(name: .customLong("ignore-case"), help: "Compare ASCII letters without regard to case.")
    var ignoreCase = false

    @Option(
        parsing: .unconditional,  // the value may start with a dash: -15m
        help: ArgumentHelp(
            "Start at: earliest, an offset or a time (see `skiff consume --help`). Default: earliest.",
            valueName: "position"),
        transform: StartPosition.parse)
    var from: StartPosition?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Stop at: latest (the end when the search starts), an offset (excluded) or a time (included). Default: latest.",
            valueName: "position"),
        transform: StartPosition.parse)
    var to: StartPosition?

    @Option(help: "Stop after this many matches (1 to 10000).")
    var max = 1_000

    @Flag(name: .customLong("print-key"), help: "Print `key<TAB>value`; a null key or value prints as (null).")
    var printKey = false

    @Option(help: ArgumentHelp("Print each match with this format (see `skiff consume --help`).", valueName: "format"))
    var format: String?

    func validate() throws {
        guard (1...10_000).contains(max) else { throw ValidationError("--max must be between 1 and 10000, got \(max)") }
        if from == .latest { throw ValidationError("--from latest searches nothing; use earliest, an offset or @TIME") }
        if to == .earliest { throw ValidationError("--to earliest searches nothing; use latest, an offset or @TIME") }
        if case .last = from { throw ValidationError("--from -N is not for search: use an offset or a time") }
        if case .last = to { throw ValidationError("--to -N is not for search: use an offset or a time") }
        if format != nil && (printKey || options.json) {
            throw ValidationError("--format cannot be combined with --print-key or --json")
        }
        if printKey && options.json { throw ValidationError("--print-key cannot be combined with --json") }
        for header in headers where header.isEmpty || header.hasPrefix("=") {
            throw ValidationError("--header needs a name: NAME or NAME=TEXT, got '\(header)'")
        }
    }

    /// The conditions the options ask for.
    var conditions: [SearchCondition] {
        var conditions: [SearchCondition] = []
        func add(_ field: SearchField, _ match: SearchMatch, _ text: String?, header: String = "") {
            guard let text else { return }
            conditions.append(
                SearchCondition(
                    field: field, match: match, headerKey: header, pattern: Array(text.utf8), ignoreCase: ignoreCase))
        }
        add(.key, .equals, key)
        add(.key, .prefix, keyPrefix)
        add(.key, .contains, keyContains)
        add(.value, .equals, value)
        add(.value, .contains, valueContains)
        if nullValue { add(.value, .isNull, "") }
        for header in headers {
            if let equals = header.firstIndex(of: "=") {
                add(
                    .header, .contains, String(header[header.index(after: equals)...]),
                    header: String(header[..<equals]))
            } else {
                add(.header, .contains, "", header: header)
            }
        }
        return conditions
    }

    mutating func run() async throws {
        let printer = RecordPrinter(
            topic: topic, json: options.json, printKey: printKey, format: format.map(RecordPrinter.Format.init))
        var request = SearchRequest(
            topic: topic, partitions: partitions, conditions: conditions, maxResults: Int32(max))
        switch from {
        case .offset(let offset): request.fromOffset = offset
        case .timestamp(let ms): request.fromTimestampMs = ms
        case .last: break  // refused by validate()
        case .earliest, .latest, nil: break
        }
        switch to {
        case .offset(let offset): request.toOffset = offset
        case .timestamp(let ms): request.toTimestampMs = ms
        case .last: break  // refused by validate()
        case .earliest, .latest, nil: break
        }
        let frozen = request
        let complete = try await options.withClient { client in
            let (total, events) = try await client.search(frozen)
            let tty = isatty(STDERR_FILENO) == 1
            for try await event in events {
                switch event {
                case .records(_, let partition, _, let records):
                    for record in records { try printer.print(record, partition: partition) }
                    Console.flush()
                case .searchProgress(let scanned, _, let matches):
                    if tty {
                        let percent = total > 0 ? Int(Double(scanned) / Double(total) * 100) : 100
                        Console.errorInPlace(
                            "searching \(frozen.topic): \(percent) % (\(Format.count(scanned)) of \(Format.count(total)) offsets), \(Format.count(matches)) matches"
                        )
                    }
                case .searchDone(let scanned, let matches, let complete, let reason):
                    if tty { Console.errorInPlace("") }
                    Console.flush()
                    Console.error(
                        "searched \(Format.count(scanned)) of \(Format.count(total)) offsets of \(frozen.topic): \(Format.count(matches)) match\(matches == 1 ? "" : "es")"
                            + (complete ? "" : "; stopped early: \(reason)"))
                    return complete
                case .ended(let reason):
                    throw CLIError("the broker ended the search: \(reason)")
                case .lagSnapshot:
                    continue
                }
            }
            throw CLIError("the search stream ended without a result")
        }
        if !complete { throw ExitCode(1) }
    }
}
