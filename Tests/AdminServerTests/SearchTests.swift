import AdminClient
import AdminProtocol
import BrokerCore
import BrokerTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(2)))
struct SearchTests {
    /// Record timestamps: an hour ago, 1 s apart (old timestamps would fall to retention.ms).
    static let base = Int64(Date().timeIntervalSince1970 * 1000) - 3_600_000

    /// 3 partitions, 3,000 keyed records with timestamps 1,000 ms apart; some carry a header.
    private func seed(_ client: AdminClient) async throws -> [(partition: Int32, record: FetchedRecord)] {
        try await client.createTopic("events", partitions: 3)
        func record(_ i: Int) -> ProduceRecord {
            let key: [UInt8]? = i % 10 == 0 ? nil : bytes("user-\(i % 50)")
            let word = i % 7 == 0 ? "Needle" : "hay"
            let value: [UInt8]? = i % 401 == 0 ? nil : bytes("payload \(i) \(word)")
            let headers: [HeaderData] = i % 5 == 0 ? [HeaderData(key: "trace", value: bytes("t-\(i)"))] : []
            return ProduceRecord(
                partition: Int32(i % 3), key: key, value: value, headers: headers,
                timestampMs: Self.base + Int64(i) * 1_000)
        }
        for chunk in stride(from: 0, to: 3_000, by: 500) {
            _ = try await client.produce(topic: "events", records: (chunk..<chunk + 500).map(record))
        }
        var all: [(Int32, FetchedRecord)] = []
        for p in Int32(0)..<3 {
            let response = try await client.fetch(
                topic: "events", partition: p, from: .earliest, maxRecords: 10_000, maxBytes: 8 << 20)
            all += response.records.map { (p, $0) }
        }
        return all
    }

    /// Runs a search to its end: the matches (partition, offset) in arrival order and the done event.
    private func run(
        _ client: AdminClient, _ request: SearchRequest
    ) async throws -> (matches: [(Int32, Int64)], total: Int64, done: SubscriptionEvent?) {
        let (total, events) = try await client.search(request)
        var matches: [(Int32, Int64)] = []
        var done: SubscriptionEvent?
        for try await event in events {
            switch event {
            case .records(_, let partition, _, let records): matches += records.map { (partition, $0.offset) }
            case .searchDone: done = event
            default: break
            }
        }
        return (matches, total, done)
    }

    /// Each kind of condition finds exactly what a scan of every record finds (the oracle), in
    /// partition and offset order, and the done event counts them.
    @Test func conditionsMatchWhatAFullScanFinds() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        let all = try await seed(client)
        func text(_ b: [UInt8]?) -> String? { b.map { String(decoding: $0, as: UTF8.self) } }
        let cases: [([SearchCondition], ((Int32, FetchedRecord)) -> Bool)] = [
            ([SearchCondition(field: .key, match: .equals, pattern: bytes("user-7"))], { text($0.1.key) == "user-7" }),
            (
                [SearchCondition(field: .key, match: .prefix, pattern: bytes("user-4"))],
                { text($0.1.key)?.hasPrefix("user-4") == true }
            ),
            (
                [SearchCondition(field: .value, match: .contains, pattern: bytes("needle"), ignoreCase: true)],
                { text($0.1.value)?.contains("Needle") == true }
            ),
            ([SearchCondition(field: .value, match: .contains, pattern: bytes("needle"))], { _ in false }),
            ([SearchCondition(field: .value, match: .isNull, pattern: [])], { $0.1.value == nil }),
            ([SearchCondition(field: .key, match: .isNull, pattern: [])], { $0.1.key == nil }),
            (
                [SearchCondition(field: .header, match: .contains, headerKey: "trace", pattern: [])],
                { !$0.1.headers.isEmpty }
            ),
            (
                [SearchCondition(field: .header, match: .equals, headerKey: "trace", pattern: bytes("t-1500"))],
                { $0.1.headers.first.map { text($0.value) } == "t-1500" }
            ),
            (
                [
                    SearchCondition(field: .key, match: .prefix, pattern: bytes("user-1")),
                    SearchCondition(field: .value, match: .contains, pattern: bytes("Needle")),
                ], { text($0.1.key)?.hasPrefix("user-1") == true && text($0.1.value)?.contains("Needle") == true }
            ),
        ]
        for (conditions, oracle) in cases {
            let result = try await run(
                client, SearchRequest(topic: "events", conditions: conditions, maxResults: 10_000))
            let expected = all.filter(oracle).map { ($0.0, $0.1.offset) }
            #expect(result.matches.map { "\($0.0)/\($0.1)" } == expected.map { "\($0.0)/\($0.1)" }, "\(conditions)")
            #expect(result.total == 3_000)
            #expect(
                result.done
                    == .searchDone(scannedOffsets: 3_000, matches: Int64(expected.count), complete: true, reason: ""))
        }
        await client.close()
        try await broker.stop()
    }

    /// Partitions, offset and time ranges bound what is looked at; the match limit stops early and
    /// says so.
    @Test func rangesPartitionsAndTheLimit() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        let all = try await seed(client)
        let any = [SearchCondition(field: .value, match: .contains, pattern: bytes("payload"))]
        var result = try await run(
            client, SearchRequest(topic: "events", partitions: [2], fromOffset: 100, toOffset: 200, conditions: any))
        #expect(result.total == 100)
        #expect(result.matches.allSatisfy { $0.0 == 2 && (100..<200).contains($0.1) })
        #expect(
            result.matches.count
                == all.filter { $0.0 == 2 && (100..<200).contains($0.1.offset) && $0.1.value != nil }.count)
        // Records 900 … 1,100 by time (every partition).
        result = try await run(
            client,
            SearchRequest(
                topic: "events", fromTimestampMs: Self.base + 900_000, toTimestampMs: Self.base + 1_100_000,
                conditions: []))
        let inTime = all.filter { (Self.base + 900_000...Self.base + 1_100_000).contains($0.1.timestampMs) }
        #expect(result.matches.count == inTime.count && inTime.count == 201)
        result = try await run(client, SearchRequest(topic: "events", conditions: any, maxResults: 7))
        #expect(result.matches.count == 7)
        guard case .searchDone(_, let matches, let complete, let reason)? = result.done else {
            Issue.record("no done event")
            return
        }
        #expect(matches == 7 && !complete && reason.contains("7 matches"))
        await client.close()
        try await broker.stop()
    }

    /// Dropping the stream cancels the search on the broker (its place on the connection is given
    /// back), bad requests are refused with reasons, and an unknown topic is UNKNOWN_TOPIC_OR_PARTITION.
    @Test func cancelAndBadRequests() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        _ = try await seed(client)
        for _ in 0..<20 {  // more than a connection's 16 subscriptions: each dropped search gives its place back
            let (_, events) = try await client.search(
                SearchRequest(topic: "events", conditions: [], maxResults: 10_000, progressIntervalMs: 100))
            var iterator = events.makeAsyncIterator()
            _ = try await iterator.next()
        }
        await #expect(throws: AdminClientError.self) {
            _ = try await client.search(SearchRequest(topic: "nope", conditions: []))
        }
        await #expect(throws: AdminClientError.self) {
            _ = try await client.search(SearchRequest(topic: "events", conditions: [], maxResults: 0))
        }
        await #expect(throws: AdminClientError.self) {
            _ = try await client.search(SearchRequest(topic: "events", partitions: [1, 1], conditions: []))
        }
        let result = try await run(client, SearchRequest(topic: "events", partitions: [0], conditions: []))
        #expect(result.matches.count == 1_000)
        await client.close()
        try await broker.stop()
    }
}
