import AdminClient
import AdminProtocol
import ArgumentParser
import Foundation
import SkiffText

/// `skiff consume T`: print a topic's records, standalone or as a member of a consumer group.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Print records of a topic, one per line.",
        discussion: """
            Without --group: reads the partition given with --partition, or all partitions merged in \
            timestamp order, from --from (default earliest), and stops at the end unless --follow.

            With --group G: joins consumer group G as a real member (visible in `skiff group describe`, \
            rebalanced when others join), commits its offsets every second and on exit (also on Ctrl-C), \
            and stops once it has caught up on its assigned partitions unless --follow. --from earliest or \
            latest applies only to partitions the group never committed (auto.offset.reset).

            --from takes earliest, latest, an offset N, -N for the last N records of each partition \
            (kcat's -o -N; a plain negative number is a count, not a time), or a time: @MS (epoch \
            milliseconds), an ISO-8601 date or date-time (2026-11-21, 2026-11-21T08:00, \
            2026-11-21 08:00:30.250, optionally ending in Z or +HH:MM; without a zone it is UTC), now, or \
            a relative time, which needs a unit: -30s, -15m, -2h, -1d. Only times other than plain \
            numbers may leave out the @.

            --format takes %s (or %v) value, %k key, %t topic, %p partition, %o offset, %T timestamp (ms), \
            %I timestamp (ISO-8601), %h headers, %% a percent sign, and \\n, \\t escapes.
            """)

    @OptionGroup var options: ClientOptions

    @Argument(help: "The topic.")
    var topic: String

    @Option(help: "Consume as a member of this consumer group.")
    var group: String?

    @Option(
        parsing: .unconditional,  // the value may start with a dash: -5, -15m
        help: ArgumentHelp(
            "Where to start: earliest, latest, an offset, -N (the last N of each partition) or a time (@MS, ISO-8601, now, -15m). Default: earliest.",
            valueName: "position"),
        transform: StartPosition.parse)
    var from: StartPosition?

    @Option(help: "Read only this partition (not with --group).")
    var partition: Int32?

    @Option(help: "Stop after this many records.")
    var count: Int?

    @Flag(help: "Keep waiting for new records instead of stopping at the end.")
    var follow = false

    @Flag(name: .customLong("print-key"), help: "Print `key<TAB>value`; a null key or value prints as (null).")
    var printKey = false

    @Option(help: ArgumentHelp("Print each record with this format (see below).", valueName: "format"))
    var format: String?

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1, got \(count)") }
        if let partition, partition < 0 { throw ValidationError("--partition must be 0 or more, got \(partition)") }
        if group != nil {
            if partition != nil {
                throw ValidationError(
                    "--partition cannot be combined with --group: the group assigns partitions to its members")
            }
            switch from {
            case .offset, .last, .timestamp:
                throw ValidationError(
                    "with --group, --from takes earliest or latest (where the group starts on partitions it never committed); use `skiff group reset` to move a group to an offset or a time"
                )
            default: break
            }
        }
        if format != nil && (printKey || options.json) {
            throw ValidationError("--format cannot be combined with --print-key or --json")
        }
        if printKey && options.json { throw ValidationError("--print-key cannot be combined with --json") }
    }

    mutating func run() async throws {
        let printer = RecordPrinter(
            topic: topic, json: options.json, printKey: printKey, format: format.map(RecordPrinter.Format.init))
        let stop = StopSignal()
        let outputWatch = follow ? Console.exitWhenOutputCloses() : nil
        defer { outputWatch?.cancel() }
        let (topic, group, partition, follow) = (self.topic, self.group, self.partition, self.follow)
        let start = from ?? .earliest
        let limit = count ?? Int.max
        let consumed = try await options.withClient { client in
            let described = try await client.describeTopic(topic)
            let partitionCount = Int32(described.partitions.count)
            if let partition, partition >= partitionCount {
                throw CLIError(
                    "topic '\(topic)' has \(partitionCount) partitions (0 to \(partitionCount - 1)); there is no partition \(partition)"
                )
            }
            if let group {
                let consumer = GroupConsumer(
                    client: client, groupId: group, topics: [topic], clientId: "skiff-consume",
                    autoOffsetReset: start == .latest ? .latest : .earliest)
                return try await Self.consumeAsMember(
                    consumer, printer: printer, limit: limit, follow: follow, stop: stop)
            }
            let starts = Dictionary(
                uniqueKeysWithValues: described.partitions.map {
                    ($0.partition, start.fetchStart(logStart: $0.logStartOffset, highWatermark: $0.highWatermark))
                })
            let partitions = partition.map { [$0] } ?? Array(0..<partitionCount)
            var reader = PartitionReader(
                client: client, topic: topic, partitions: partitions,
                starts: partitions.map { starts[$0] ?? start.fetchStart(logStart: 0, highWatermark: 0) })
            return try await reader.run(printer: printer, limit: limit, follow: follow, stop: stop)
        }
        Console.flush()
        Console.error("consumed \(consumed) record\(consumed == 1 ? "" : "s") from \(topic)")
    }

    /// The group member's poll loop; commits and leaves the group however it ends.
    static func consumeAsMember(
        _ consumer: GroupConsumer, printer: RecordPrinter, limit: Int, follow: Bool, stop: StopSignal
    ) async throws -> Int {
        var consumed = 0
        var idlePolls = 0
        do {
            while !stop.isRequested && consumed < limit {
                let records = try await consumer.poll(maxRecords: Int32(min(500, limit - consumed)))
                if records.isEmpty {
                    // An empty poll has fetched every assigned partition at its high watermark.
                    if !follow, await consumer.generation >= 0 {
                        idlePolls += 1
                        if idlePolls >= 2 { break }
                    }
                    await stop.sleep(for: .milliseconds(follow ? 200 : 50))
                    continue
                }
                idlePolls = 0
                for consumedRecord in records {
                    try printer.print(consumedRecord.record, partition: consumedRecord.partition)
                }
                Console.flush()
                consumed += records.count
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
        return consumed
    }
}

/// Reads partitions without a group: fetches each from its start, merging every round's records
/// in timestamp order, then (with --follow) tails them through a broker subscription.
struct PartitionReader {
    let client: AdminClient
    let topic: String
    let partitions: [Int32]
    /// The next offset per partition once known; the start position until the first fetch.
    private var positions: [Int32: FetchStart]

    /// A reader of `partitions`, each from its start in `starts` (same order).
    init(client: AdminClient, topic: String, partitions: [Int32], starts: [FetchStart]) {
        self.client = client
        self.topic = topic
        self.partitions = partitions
        positions = Dictionary(uniqueKeysWithValues: zip(partitions, starts).map { ($0, $1) })
    }

    /// Reads and prints; returns the number of records printed.
    mutating func run(printer: RecordPrinter, limit: Int, follow: Bool, stop: StopSignal) async throws -> Int {
        var printed = 0
        var atEnd = Set<Int32>()
        while !stop.isRequested && printed < limit && atEnd.count < partitions.count {
            let round = try await fetchRound(excluding: atEnd, maxRecords: Int32(min(500, limit - printed)))
            var records: [(partition: Int32, record: FetchedRecord)] = []
            for (partition, response) in round {
                if let last = response.records.last {
                    positions[partition] = .offset(last.offset + 1)
                    records += response.records.map { (partition, $0) }
                }
                if response.records.isEmpty || response.records.last!.offset + 1 >= response.highWatermark {
                    if response.records.isEmpty { positions[partition] = .offset(response.highWatermark) }
                    atEnd.insert(partition)
                }
            }
            records.sort {
                ($0.record.timestampMs, $0.partition, $0.record.offset) < (
                    $1.record.timestampMs, $1.partition, $1.record.offset
                )
            }
            for (partition, record) in records.prefix(limit - printed) {
                try printer.print(record, partition: partition)
            }
            printed += min(records.count, limit - printed)
            Console.flush()
        }
        guard follow, printed < limit, !stop.isRequested else { return printed }
        return try await tail(printer: printer, printed: printed, limit: limit, stop: stop)
    }

    /// One fetch per partition not yet at its end, sent together (the client pipelines them).
    private func fetchRound(excluding done: Set<Int32>, maxRecords: Int32) async throws -> [(Int32, FetchResponse)] {
        let (client, topic) = (self.client, self.topic)
        let wanted = partitions.filter { !done.contains($0) }.map { ($0, positions[$0]!) }
        return try await withThrowingTaskGroup(of: (Int32, FetchResponse).self) { group in
            for (partition, start) in wanted {
                group.addTask {
                    try await Self.fetch(client, topic, partition, from: start, maxRecords: maxRecords)
                }
            }
            var results: [(Int32, FetchResponse)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }
        }
    }

    private static func fetch(
        _ client: AdminClient, _ topic: String, _ partition: Int32, from start: FetchStart, maxRecords: Int32
    ) async throws -> (Int32, FetchResponse) {
        do {
            return (
                partition,
                try await client.fetch(topic: topic, partition: partition, from: start, maxRecords: maxRecords)
            )
        } catch .broker(.offsetOutOfRange, let message) {
            throw CLIError("partition \(partition): \(message)")
        }
    }

    /// Follows every partition from where reading stopped until the limit or a signal. Records
    /// a live-tail event skipped (the client drops events it cannot buffer) are fetched instead.
    private mutating func tail(printer: RecordPrinter, printed: Int, limit: Int, stop: StopSignal) async throws -> Int {
        var next: [Int32: Int64] = [:]
        for partition in partitions {
            guard case .offset(let offset) = positions[partition] else { continue }
            next[partition] = offset
        }
        let (client, topic) = (self.client, self.topic)
        let stream = try await client.subscribe(
            partitions: partitions.map { SubscribePartition(topic: topic, partition: $0, fromOffset: next[$0] ?? -1) })
        let follow = Task { [next] in
            var next = next
            var printed = printed
            for try await event in stream {
                switch event {
                case .records(_, let partition, _, let records):
                    guard let first = records.first else { continue }
                    var expected = next[partition] ?? first.offset
                    // Fill a gap the live tail left with ordinary fetches.
                    while expected < first.offset && printed < limit {
                        let response = try await client.fetch(
                            topic: topic, partition: partition, from: .offset(expected),
                            maxRecords: Int32(min(500, first.offset - expected)))
                        guard !response.records.isEmpty else { break }
                        for record in response.records where record.offset < first.offset && printed < limit {
                            try printer.print(record, partition: partition)
                            printed += 1
                            expected = record.offset + 1
                        }
                    }
                    for record in records where record.offset >= expected && printed < limit {
                        try printer.print(record, partition: partition)
                        printed += 1
                        expected = record.offset + 1
                    }
                    next[partition] = expected
                    Console.flush()
                    if printed >= limit { return printed }
                case .ended(let reason):
                    throw CLIError("the broker ended the live tail: \(reason)")
                case .lagSnapshot, .searchProgress, .searchDone:
                    continue
                }
            }
            return printed
        }
        let watcher = Task {
            await stop.wait()
            follow.cancel()
        }
        defer { watcher.cancel() }
        return try await follow.value
    }
}

/// Turns records into output lines: the value, `key<TAB>value`, a `--format`, or JSON.
struct RecordPrinter: Sendable {
    let topic: String
    let json: Bool
    let printKey: Bool
    let format: Format?

    /// A parsed `--format`.
    struct Format: Sendable {
        enum Piece: Sendable {
            case text(String)
            case key, value, topic, partition, offset, timestampMs, timestampISO, headers
        }
        let pieces: [Piece]

        init(_ text: String) {
            var pieces: [Piece] = []
            var literal = ""
            var iterator = text.makeIterator()
            while let c = iterator.next() {
                if c == "\\", let n = iterator.next() {
                    switch n {
                    case "n": literal.append("\n")
                    case "t": literal.append("\t")
                    case "\\": literal.append("\\")
                    default: literal.append(c); literal.append(n)
                    }
                } else if c == "%", let n = iterator.next() {
                    let piece: Piece? =
                        switch n {
                        case "k": .key
                        case "s", "v": .value
                        case "t": .topic
                        case "p": .partition
                        case "o": .offset
                        case "T": .timestampMs
                        case "I": .timestampISO
                        case "h": .headers
                        default: nil
                        }
                    if let piece {
                        if !literal.isEmpty { pieces.append(.text(literal)) }
                        literal = ""
                        pieces.append(piece)
                    } else if n == "%" {
                        literal.append("%")
                    } else {
                        literal.append(c)
                        literal.append(n)
                    }
                } else {
                    literal.append(c)
                }
            }
            if !literal.hasSuffix("\n") { literal.append("\n") }
            pieces.append(.text(literal))
            self.pieces = pieces
        }
    }

    /// Writes one record (to the buffered standard output; the caller flushes).
    func print(_ record: FetchedRecord, partition: Int32) throws {
        if json {
            Console.line(RecordJSON.line(topic: topic, partition: partition, record: record))
        } else if let format {
            var out = ""
            for piece in format.pieces {
                switch piece {
                case .text(let text): out += text
                case .key: out += SafeText.bytes(record.key)
                case .value: out += SafeText.bytes(record.value)
                case .topic: out += topic
                case .partition: out += "\(partition)"
                case .offset: out += "\(record.offset)"
                case .timestampMs: out += "\(record.timestampMs)"
                case .timestampISO: out += SkiffText.Format.iso8601(record.timestampMs)
                case .headers:
                    out += record.headers.map { SafeText.escape($0.key) + "=" + SafeText.bytes($0.value) }
                        .joined(separator: ",")
                }
            }
            Console.out(out)
        } else if printKey {
            Console.line(SafeText.bytes(record.key) + "\t" + SafeText.bytes(record.value))
        } else {
            Console.line(SafeText.bytes(record.value))
        }
    }
}
