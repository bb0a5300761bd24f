import AdminClient
import AdminProtocol
import ArgumentParser
import Dispatch
import Foundation
import SkiffText

/// `skiff produce T`: one record per line of standard input, sent in batches.
struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Write records to a topic, one value per line of standard input.",
        discussion: """
            Lines are sent in batches (up to \(ProduceCommand.maxBatchRecords) lines or 1 MiB per request, \
            and at once when the input pauses), so large inputs stream and typed lines go out as you type \
            them. With -K SEP the part of a line before the first SEP is the key (a line without SEP has no \
            key), as with kcat. Records without a partition go where Kafka's partitioner sends their key.
            """)

    @OptionGroup var options: ClientOptions

    @Argument(help: "The topic.")
    var topic: String

    @Option(help: "The key of every record.")
    var key: String?

    @Option(
        name: .customLong("header"),
        help: ArgumentHelp("A header added to every record; repeatable.", valueName: "key=value"),
        transform: { try KeyValue.parse($0) })
    var headers: [KeyValue] = []

    @Option(help: "Write every record to this partition instead of letting the key decide.")
    var partition: Int32?

    @Option(
        name: [.customShort("K", allowingJoined: true), .customLong("key-separator")],
        help: ArgumentHelp("Split each line at the first SEP into key and value.", valueName: "sep"))
    var keySeparator: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The timestamp of every record: milliseconds since the epoch, ISO-8601 (2026-11-21T08:00:00Z; UTC without a zone), now or -1h (default: the broker stamps the append time).",
            valueName: "time"),
        transform: { try ProduceCommand.parseTimestamp($0) })
    var timestamp: Int64?

    @Flag(help: "Print `partition P offset O` for every record written.")
    var verbose = false

    /// Lines per Produce request.
    static let maxBatchRecords = 1_000
    /// Bytes (keys and values) per Produce request.
    static let maxBatchBytes = 1 << 20

    func validate() throws {
        if let keySeparator, keySeparator.isEmpty {
            throw ValidationError("--key-separator must not be empty")
        }
        if key != nil && keySeparator != nil {
            throw ValidationError("--key and --key-separator cannot be combined: choose one source for keys")
        }
        if let partition, partition < 0 {
            throw ValidationError("--partition must be 0 or more, got \(partition)")
        }
    }

    /// `--timestamp`: an integer goes to the broker as it is (the broker refuses one below -1 with
    /// INVALID_TIMESTAMP, and -1 asks it to stamp the append time); otherwise any form of
    /// ``Timestamp`` (ISO-8601, UTC without a zone; `now`; `-1h`).
    static func parseTimestamp(_ text: String) throws -> Int64 {
        if let ms = Int64(text) { return ms }
        return try Timestamp.parse(text)
    }

    struct Landed: Encodable {
        var partition: Int32
        var offset: Int64
        var timestamp: Int64
    }

    mutating func run() async throws {
        let topic = self.topic
        let partition = self.partition ?? -1
        let fixedKey = key.map { Array($0.utf8) }
        let separator = keySeparator.map { Array($0.utf8) }
        let headers = self.headers.map { HeaderData(key: $0.key, value: Array($0.value.utf8)) }
        let timestamp = self.timestamp ?? -1
        let (verbose, json) = (self.verbose, options.json)

        let produced = try await options.withClient { client in
            // Fail before reading any input when the topic or partition does not exist.
            let described = try await client.describeTopic(topic)
            if partition >= 0 && Int(partition) >= described.partitions.count {
                throw CLIError(
                    "topic '\(topic)' has \(described.partitions.count) partitions (0 to \(described.partitions.count - 1)); there is no partition \(partition)"
                )
            }
            var sender = BatchSender(client: client, topic: topic) { results in
                guard verbose else { return }
                for r in results {
                    if json {
                        Console.line(
                            try JSON.line(Landed(partition: r.partition, offset: r.offset, timestamp: r.timestampMs)))
                    } else {
                        Console.line("partition \(r.partition) offset \(r.offset)")
                    }
                }
                Console.flush()
            }
            var batch: [ProduceRecord] = []
            var batchBytes = 0
            var lines = LineSplitter()
            let input = StandardInput()
            while let chunk = try await input.nextChunk() {
                lines.append(chunk)
                while let line = lines.nextLine() {
                    batch.append(
                        Self.record(
                            line, partition: partition, key: fixedKey, separator: separator, headers: headers,
                            timestamp: timestamp))
                    batchBytes += line.count
                    if batch.count >= Self.maxBatchRecords || batchBytes >= Self.maxBatchBytes {
                        try await sender.send(batch)
                        batch.removeAll(keepingCapacity: true)
                        batchBytes = 0
                    }
                }
                // Input paused (a person typing, a slow pipe): send what we have now.
                if !batch.isEmpty && !input.hasMoreNow() {
                    try await sender.send(batch)
                    batch.removeAll(keepingCapacity: true)
                    batchBytes = 0
                }
            }
            if let last = lines.finish() {
                batch.append(
                    Self.record(
                        last, partition: partition, key: fixedKey, separator: separator, headers: headers,
                        timestamp: timestamp))
            }
            if !batch.isEmpty { try await sender.send(batch) }
            return try await sender.finish()
        }
        Console.flush()
        Console.error("produced \(produced) record\(produced == 1 ? "" : "s") to \(topic)")
    }

    /// One line as a record: the line is the value, unless a separator splits off the key.
    static func record(
        _ line: ArraySlice<UInt8>, partition: Int32, key: [UInt8]?, separator: [UInt8]?, headers: [HeaderData],
        timestamp: Int64 = -1
    ) -> ProduceRecord {
        if let separator, let range = line.firstRange(of: separator) {
            return ProduceRecord(
                partition: partition, key: Array(line[..<range.lowerBound]), value: Array(line[range.upperBound...]),
                headers: headers, timestampMs: timestamp)
        }
        return ProduceRecord(
            partition: partition, key: key, value: Array(line), headers: headers, timestampMs: timestamp)
    }
}

/// Sends Produce requests one at a time, so records keep their input order across requests (two
/// requests issued from separate tasks may reach the connection in either order). The next batch
/// is read and built while the previous request is in flight.
struct BatchSender {
    let client: AdminClient
    let topic: String
    let onResults: ([ProducedOffset]) throws -> Void
    private var inFlight: Task<[ProducedOffset], any Error>?
    private(set) var produced = 0

    init(client: AdminClient, topic: String, onResults: @escaping ([ProducedOffset]) throws -> Void) {
        self.client = client
        self.topic = topic
        self.onResults = onResults
    }

    /// Waits for the request in flight, then sends this one.
    mutating func send(_ records: [ProduceRecord]) async throws {
        try await finishInFlight()
        let (client, topic) = (self.client, self.topic)
        inFlight = Task { try await client.produce(topic: topic, records: records) }
    }

    /// Waits for the last request; returns the number of records written.
    mutating func finish() async throws -> Int {
        try await finishInFlight()
        return produced
    }

    private mutating func finishInFlight() async throws {
        guard let task = inFlight else { return }
        inFlight = nil
        let results: [ProducedOffset]
        do {
            results = try await task.value
        } catch {
            throw CLIError(
                "\(error) (\(produced) record\(produced == 1 ? " was" : "s were") written before the failure)")
        }
        produced += results.count
        try onResults(results)
    }
}

/// Splits bytes into lines at `\n`, dropping a `\r` before it.
struct LineSplitter {
    private var buffer: [UInt8] = []
    private var start = 0

    mutating func append(_ bytes: [UInt8]) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete line, without its line ending.
    mutating func nextLine() -> ArraySlice<UInt8>? {
        guard let newline = buffer[start...].firstIndex(of: 0x0A) else { return nil }
        var end = newline
        if end > start && buffer[end - 1] == 0x0D { end -= 1 }
        let line = buffer[start..<end]
        start = newline + 1
        return line
    }

    /// The last line when the input did not end with a newline.
    mutating func finish() -> ArraySlice<UInt8>? {
        guard start < buffer.count else { return nil }
        var end = buffer.count
        if buffer[end - 1] == 0x0D { end -= 1 }
        defer { start = buffer.count }
        return buffer[start..<end]
    }
}

/// Standard input, read in chunks on a dispatch queue so no task blocks the cooperative pool.
struct StandardInput {
    static let chunkSize = 256 << 10

    /// The next chunk, nil at end of input.
    func nextChunk() async throws -> [UInt8]? {
        let result: Result<[UInt8], CLIError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, Self.chunkSize) }
                    if n >= 0 {
                        buffer.removeSubrange(n...)
                        continuation.resume(returning: .success(buffer))
                        return
                    }
                    if errno != EINTR {
                        let reason = String(cString: strerror(errno))
                        continuation.resume(returning: .failure(CLIError("cannot read standard input: \(reason)")))
                        return
                    }
                }
            }
        }
        let bytes = try result.get()
        return bytes.isEmpty ? nil : bytes
    }

    /// Whether more input can be read at once without waiting.
    func hasMoreNow() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }
}
