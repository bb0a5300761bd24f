import Foundation
import SkiffTestSupport
import Testing

/// `skiff search` against a `skiff broker` child: the broker scans, the matches print like
/// `skiff consume`, and the exit status says whether the whole range was searched.
@Suite struct SearchCLITests {
    @Test func searchFindsByKeyValueAndHeaderAndSaysHowFarItGot() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "prices", "--partitions", "3"])
            let lines = (0..<3_000).map { i in
                "\(["AAPL", "MSFT", "GOOG"][i % 3]):price \(i)\(i % 500 == 0 ? " halt" : "")"
            }
            try await broker.ok(["produce", "prices", "-K:"], stdin: lines.joined(separator: "\n") + "\n")
            try await broker.ok(
                ["produce", "prices", "--key", "AAPL", "--header", "source=feed-b"], stdin: "price feed-b\n")
            // Every AAPL record, in offset order of its one partition.
            var result = try await broker.ok(["search", "prices", "--key", "AAPL", "--max", "10000"])
            #expect(result.lines.count == 1_001)
            #expect(result.lines.first == "price 0 halt" && result.lines.last == "price feed-b")
            #expect(result.stderr.contains("searched 3,001 of 3,001 offsets of prices: 1,001 matches"))
            result = try await broker.ok([
                "search", "prices", "--value-contains", "HALT", "--ignore-case", "--print-key",
            ])
            #expect(
                Set(result.lines)
                    == Set((0..<6).map { "\(["AAPL", "MSFT", "GOOG"][($0 * 500) % 3])\tprice \($0 * 500) halt" }))
            result = try await broker.ok(["search", "prices", "--header", "source=feed", "--json"])
            #expect(result.lines.count == 1 && result.lines[0].contains("feed-b"))
            // The limit stops early: exit 1 and the reason.
            let limited = try await broker.run(["search", "prices", "--value-contains", "price", "--max", "5"])
            #expect(limited.status == 1 && limited.lines.count == 5, "\(limited)")
            #expect(limited.stderr.contains("stopped early: stopped at 5 matches (the limit)"))
            let missing = try await broker.run(["search", "nope", "--key", "x"])
            #expect(missing.status != 0 && missing.stderr.contains("topic 'nope' does not exist"), "\(missing)")
        }
    }
}
