import Foundation

/// The scenarios every client runs, each against its own `skiff broker` child process.
enum Compat {
    /// kcat has no admin API: the topics its scenarios use are created with `skiff topic create`
    /// first (kcat_compat.py's `topics_needed`, prefix `compat`).
    static let kcatTopics: [String: [(String, Int)]] = [
        "metadata": [("compat-meta", 3)],
        "produce-keyed": [("compat-keyed-3", 3), ("compat-keyed-10", 10)],
        "produce-varied": [("compat-varied", 3)],
        "compression-gzip": [("compat-compressed-gzip", 1)],
        "compression-snappy": [("compat-compressed-snappy", 1)],
        "compression-lz4": [("compat-compressed-lz4", 1)],
        "compression-zstd": [("compat-compressed-zstd", 1)],
        "consume-positions": [("compat-positions", 2)],
        "sasl": [("compat-sasl", 1)],
    ]

    /// Runs `scenario` of `client`; every topic whose records the driver reports is then read back
    /// over the admin protocol (`skiff consume --json`) and compared byte for byte.
    static func scenario(_ client: Client, _ scenario: String, sasl: Bool = false) async throws {
        try await Gate.scenarios.run {
            try await withKafkaBroker(label: "compat-\(client.rawValue)", sasl: sasl) { broker, directory in
                if client == .kcat {
                    for (topic, partitions) in kcatTopics[scenario] ?? [] {
                        try await broker.skiff(["topic", "create", topic, "--partitions", "\(partitions)"])
                    }
                }
                var extra: [String] = []
                if let tokens = broker.tokens {
                    extra += ["--admin-token", tokens.admin, "--read-only-token", tokens.readOnly]
                }
                let output = try await runScenario(client, scenario, broker: broker, directory: directory, extra: extra)
                var problems: [String] = []
                if scenario.hasPrefix("compression-") {
                    let codec = String(scenario.dropFirst("compression-".count))
                    for topic in (output.topics ?? [:]).keys.sorted() {
                        problems += try storedCompression(
                            topic: topic, codec: codec, broker: broker, client: client,
                            debugLog: directory.file("\(client.rawValue)-\(scenario).debug.log"))
                    }
                }
                for (topic, records) in (output.topics ?? [:]).sorted(by: { $0.key < $1.key }) {
                    problems += try await compareWithAdminProtocol(topic: topic, records: records, broker: broker)
                }
                if !problems.isEmpty {
                    throw CompatFailure(
                        "\(client.rawValue) \(scenario): records produced over Kafka differ when read over the admin protocol (skiff consume --json):\n"
                            + problems.prefix(15).joined(separator: "\n"))
                }
            }
        }
    }

    // MARK: - Compression on disk

    static let codecNumbers = ["none": 0, "gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4]

    /// A client may quietly send a codec's batches uncompressed (librdkafka does when the broker's
    /// ApiVersions lacks what it ties the codec to), which would make a compression scenario pass
    /// without compression: the batches the broker stored must carry the codec. The partition
    /// files are Kafka's record-batch format (attributes bits 0–2 at byte 21 of a batch).
    static func storedCompression(
        topic: String, codec: String, broker: KafkaBroker, client: Client, debugLog: String
    ) throws -> [String] {
        let fm = FileManager.default
        var seen: Set<Int> = []
        let directories = try fm.contentsOfDirectory(atPath: broker.dataDirectory).filter {
            $0.hasPrefix(topic + "-") && Int($0.dropFirst(topic.count + 1)) != nil
        }
        for directory in directories {
            let path = broker.dataDirectory + "/" + directory
            for file in try fm.contentsOfDirectory(atPath: path) where file.hasSuffix(".log") {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/" + file)))
                var position = 0
                while position + 61 <= bytes.count {
                    let length = bytes[position + 8..<position + 12].reduce(0) { $0 << 8 | Int($1) }
                    guard length > 0 else { break }
                    seen.insert(Int(bytes[position + 22] & 0x07))
                    position += 12 + length
                }
            }
        }
        let names = Dictionary(uniqueKeysWithValues: codecNumbers.map { ($1, $0) })
        guard let wanted = codecNumbers[codec], !seen.contains(wanted) else { return [] }
        let log = (try? String(contentsOfFile: debugLog, encoding: .utf8)) ?? ""
        let hints = log.split(separator: "\n").filter {
            $0.contains("not compressing") || $0.contains("Disabling feature") || $0.contains("NOT supported by broker")
        }
        return [
            "\(topic): \(client.rawValue) was asked for \(codec) but the stored batches are \(seen.sorted().map { names[$0] ?? "\($0)" }) (the client sent them uncompressed)"
                + (hints.isEmpty ? "" : "; its debug log says:\n" + hints.prefix(12).joined(separator: "\n"))
        ]
    }

    // MARK: - Kafka → admin protocol

    struct SkiffRecord: Decodable {
        struct Header: Decodable {
            var key: String
            var value: String?
            var valueEncoding: String?
        }
        var partition: Int32
        var offset: Int64
        var timestamp: Int64
        var key: String?
        var keyEncoding: String?
        var value: String?
        var valueEncoding: String?
        var headers: [Header]

        static func bytes(_ text: String?, _ encoding: String?) -> [UInt8]? {
            guard let text else { return nil }
            if encoding == "base64" { return Array(Data(base64Encoded: text) ?? Data()) }
            return Array(text.utf8)
        }

        var keyBytes: [UInt8]? { Self.bytes(key, keyEncoding) }
        var valueBytes: [UInt8]? { Self.bytes(value, valueEncoding) }
        var headerBytes: [KafkaCompatTests.Header] {
            headers.map { .init(key: $0.key, value: Self.bytes($0.value, $0.valueEncoding)) }
        }
    }

    static func compareWithAdminProtocol(
        topic: String, records: [ClientRecord], broker: KafkaBroker
    ) async throws
        -> [String]
    {
        let consumed = try await broker.skiff(["consume", topic, "--json"])
        var stored: [String: SkiffRecord] = [:]
        for line in consumed.lines {
            do {
                let record = try JSONDecoder().decode(SkiffRecord.self, from: Data(line.utf8))
                stored["\(record.partition)/\(record.offset)"] = record
            } catch {
                return ["\(topic): cannot decode a line of skiff consume --json: \(line.prefix(300)) (\(error))"]
            }
        }
        var problems: [String] = []
        for record in records {
            let position = "\(record.partition)/\(record.offset)"
            guard let s = stored.removeValue(forKey: position) else {
                problems.append(
                    "\(topic) partition \(record.partition) offset \(record.offset): not read by skiff consume")
                continue
            }
            if s.keyBytes != record.keyBytes {
                problems.append("\(topic) \(position): key \(shown(s.keyBytes)) != \(shown(record.keyBytes))")
            }
            if s.valueBytes != record.valueBytes {
                problems.append("\(topic) \(position): value \(shown(s.valueBytes)) != \(shown(record.valueBytes))")
            }
            if s.headerBytes != record.headerBytes {
                problems.append("\(topic) \(position): headers \(s.headerBytes) != \(record.headerBytes)")
            }
            if s.timestamp != record.timestamp {
                problems.append("\(topic) \(position): timestamp \(s.timestamp) != \(record.timestamp)")
            }
        }
        if !stored.isEmpty {
            problems.append(
                "\(topic): skiff consume read records no client reported: \(stored.keys.sorted().prefix(10))")
        }
        return problems
    }

    // MARK: - admin protocol → Kafka

    /// Records written with `skiff produce` (keys split at `:`, headers, bytes that are not UTF-8,
    /// a NUL, empty keys and values, a fixed timestamp), read back with the client byte for byte.
    static func readSkiffProduced(_ client: Client) async throws {
        try await Gate.scenarios.run {
            try await withKafkaBroker(label: "compat-\(client.rawValue)") { broker, directory in
                let topic = "compat-from-skiff"
                try await broker.skiff(["topic", "create", topic, "--partitions", "3"])
                let lines: [[UInt8]] = [
                    Array("k1:plain value".utf8),
                    Array(":empty key".utf8),
                    Array("no separator: null key".utf8).filter { $0 != UInt8(ascii: ":") },
                    [0x6B, 0xFF, 0xFE] + Array(":binary \u{0} value ".utf8) + [0xC3],
                    Array("ü:ünïcødé ✓ 🚀 漢字".utf8),
                    Array("k2:".utf8),
                    Array("tab\tkey:a\tb".utf8),
                    [],
                ]
                var expected = try await produce(
                    broker, topic, lines, ["-K:", "--header", "trace=skiff", "--header", "ü=✓"],
                    headers: [
                        Header(key: "trace", value: Array("skiff".utf8)), Header(key: "ü", value: Array("✓".utf8)),
                    ],
                    split: true)
                expected += try await produce(
                    broker, topic, [Array("fixed time a".utf8), Array("fixed time b".utf8)],
                    ["--partition", "1", "--timestamp", "1700000000000"], headers: [], split: false)
                for (_, _, _, timestamp) in expected.suffix(2) where timestamp != 1_700_000_000_000 {
                    throw CompatFailure("skiff produce --timestamp 1700000000000 landed with timestamp \(timestamp)")
                }
                let output = try await runScenario(
                    client, "dump", broker: broker, directory: directory, extra: ["--topic", topic])
                let read = Dictionary(
                    (output.records ?? []).map { ("\($0.partition)/\($0.offset)", $0) }, uniquingKeysWith: { a, _ in a }
                )
                var problems: [String] = []
                for (position, record, headers, timestamp) in expected {
                    guard let r = read[position] else {
                        problems.append("\(position): not read by \(client.rawValue)")
                        continue
                    }
                    if r.keyBytes != record.key {
                        problems.append("\(position): key \(shown(r.keyBytes)) != \(shown(record.key))")
                    }
                    if r.valueBytes != record.value {
                        problems.append("\(position): value \(shown(r.valueBytes)) != \(shown(record.value))")
                    }
                    if r.headerBytes != headers {
                        problems.append("\(position): headers \(r.headerBytes) != \(headers)")
                    }
                    if r.timestamp != timestamp {
                        problems.append("\(position): timestamp \(r.timestamp) != \(timestamp)")
                    }
                }
                if read.count != expected.count {
                    problems.append(
                        "\(client.rawValue) read \(read.count) records, skiff produce wrote \(expected.count)")
                }
                if !problems.isEmpty {
                    throw CompatFailure(
                        "\(client.rawValue): records written with skiff produce differ when read over Kafka:\n"
                            + problems.prefix(15).joined(separator: "\n"))
                }
            }
        }
    }

    typealias Written = (position: String, record: (key: [UInt8]?, value: [UInt8]), headers: [Header], timestamp: Int64)

    /// `skiff produce --verbose --json` of `lines`; what each line became and where it landed.
    static func produce(
        _ broker: KafkaBroker, _ topic: String, _ lines: [[UInt8]], _ options: [String], headers: [Header], split: Bool
    ) async throws -> [Written] {
        var input = Data()
        for line in lines { input.append(contentsOf: line + [0x0A]) }
        let result = try await broker.skiff(["produce", topic, "--verbose", "--json"] + options, stdin: input)
        struct Landed: Decodable {
            var partition: Int32
            var offset: Int64
            var timestamp: Int64
        }
        let landed = try result.lines.map { try JSONDecoder().decode(Landed.self, from: Data($0.utf8)) }
        guard landed.count == lines.count else {
            throw CompatFailure("skiff produce reported \(landed.count) records for \(lines.count) lines\n\(result)")
        }
        return zip(lines, landed).map { line, at in
            var key: [UInt8]?
            var value = line
            if split, let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                key = Array(line[..<colon])
                value = Array(line[(colon + 1)...])
            }
            return ("\(at.partition)/\(at.offset)", (key, value), headers, at.timestamp)
        }
    }

    // MARK: - kill -9

    /// confluent-kafka produces with acks=all and lists every acknowledged (partition, offset,
    /// value); the broker is killed with SIGKILL mid-loop and restarted on the same data directory;
    /// every acknowledged record must be there.
    static func killDuringProduce() async throws {
        try await Gate.scenarios.run {
            let directory = try TemporaryDirectory("compat-crash")
            defer { directory.remove() }
            let data = directory.file("data")
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            let acked = directory.file("acked")
            let (executable, leading) = try await Client.confluentKafka.driver()
            let common = ["--topic", "crash", "--partitions", "3", "--acked-file", acked, "--timeout", "30"]
            let environment: [String: String?] = ["PYTHONDONTWRITEBYTECODE": "1"]

            var broker = try await KafkaBroker.start(dataDirectory: data)
            let producer: ChildProcess
            do {
                try await broker.skiff(["topic", "create", "crash", "--partitions", "3"])
                producer = try ChildProcess(
                    executable,
                    leading + ["--bootstrap", broker.kafkaAddress, "--scenario", "crash-produce"] + common,
                    environment: environment)
                // Kill the broker once a few thousand records are acknowledged: mid-loop.
                let enough = try await eventually(timeout: .seconds(90)) {
                    if !producer.isRunning { return true }
                    let text = (try? String(contentsOfFile: acked, encoding: .utf8)) ?? ""
                    return text.utf8.lazy.filter { $0 == 0x0A }.count >= 3000
                }
                guard enough, producer.isRunning else {
                    throw CompatFailure(
                        "the produce loop \(producer.isRunning ? "acknowledged fewer than 3000 records in 90 s" : "ended before the broker was killed"):\n\(tail(producer.stderr, lines: 40))"
                    )
                }
                try await broker.stop(signal: SIGKILL)
            } catch {
                _ = try? await broker.stop(signal: SIGKILL)
                throw CompatFailure("\(error)\n--- broker log (end):\n\(broker.logTail)")
            }
            let status = try await producer.wait(timeout: .seconds(60))
            let produced = try decodeOutput(
                Finished(
                    command: producer.command, status: status, stdout: producer.stdoutData, stderr: producer.stderr),
                client: .confluentKafka, scenario: "crash-produce", debugLog: directory.file("none"))

            broker = try await KafkaBroker.start(dataDirectory: data)
            do {
                let verified = try await runScenario(
                    .confluentKafka, "crash-verify", broker: broker, directory: directory, extra: common)
                if verified.acked != produced.acked {
                    throw CompatFailure(
                        "the producer counted \(produced.acked ?? -1) acknowledgements, the file lists \(verified.acked ?? -1)"
                    )
                }
            } catch {
                _ = try? await broker.stop()
                throw CompatFailure("\(error)\n--- restarted broker log (end):\n\(broker.logTail)")
            }
            let exit = try await broker.stop()
            if exit != 0 { throw CompatFailure("the restarted broker exited \(exit) on SIGTERM\n\(broker.logTail)") }
        }
    }
}
