import AdminClient
import AdminProtocol
import ArgumentParser
import Foundation

/// `skiff bench topics`: how topic creation scales with the number of topics the broker holds.
struct BenchTopics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Topic creation rate: creates --count topics one at a time and reports the rate around milestones.",
        discussion: """
            Topics are named <prefix>-<n> (default prefix skiff-bench-topics-<random>) with --partitions \
            partitions each, created one request at a time on one connection; each create is acknowledged \
            once its line of the topic metadata log is on disk. Reports the creates per second over the \
            500 creates before each milestone (10, 1,000, 10,000, 50,000 topics, and --count), so the \
            rate at 10 topics can be compared with the rate at 50,000. The topics are kept (delete them \
            by hand, or use a scratch broker).
            """)

    @OptionGroup var client: ClientOptions

    @Option(help: "Topics to create.")
    var count = 10_000

    @Option(help: "Partitions of each topic.")
    var partitions: Int32 = 1

    @Option(help: "Name prefix of the topics.")
    var prefix: String?

    struct Milestone: Encodable {
        var topics: Int
        var window: Int
        var createsPerSecond: Double
        var p50Micros: Double
        var p99Micros: Double
    }

    struct Result: Encodable {
        var benchmark = "topics"
        var topics: Int
        var partitionsPerTopic: Int32
        var seconds: Double
        var createsPerSecond: Double
        var milestones: [Milestone]
    }

    mutating func run() async throws {
        let (host, port) = AdminClient.parseAddress(client.brokerAddress)!
        let token = try ClientToken.resolve(file: client.authTokenFile)
        let admin = AdminClient(host: host, port: port, clientName: "skiff-bench", authToken: token)
        let prefix = self.prefix ?? "skiff-bench-topics-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        var nanos: [UInt64] = []
        nanos.reserveCapacity(count)
        let start = ContinuousClock.now
        for i in 1...count {
            let begin = ContinuousClock.now
            try await admin.createTopic("\(prefix)-\(i)", partitions: partitions)
            let (s, atto) = (ContinuousClock.now - begin).components
            nanos.append(UInt64(s) * 1_000_000_000 + UInt64(atto / 1_000_000_000))
        }
        let (s, atto) = (ContinuousClock.now - start).components
        let seconds = Double(s) + Double(atto) / 1e18
        await admin.close()
        var milestones: [Milestone] = []
        for topics in Set([10, 1_000, 10_000, 50_000, count]).sorted() where topics <= count {
            let window = Array(nanos[max(0, topics - 500)..<topics])
            let sorted = window.sorted()
            let total = Double(window.reduce(0, +)) / 1e9
            milestones.append(
                Milestone(
                    topics: topics, window: window.count, createsPerSecond: (Double(window.count) / total).rounded(),
                    p50Micros: (Double(sorted[sorted.count / 2]) / 1e3).rounded(),
                    p99Micros: (Double(sorted[min(sorted.count - 1, sorted.count * 99 / 100)]) / 1e3).rounded()))
        }
        let result = Result(
            topics: count, partitionsPerTopic: partitions, seconds: (seconds * 1000).rounded() / 1000,
            createsPerSecond: (Double(count) / seconds).rounded(), milestones: milestones)
        if client.json {
            try JSON.print(result)
            return
        }
        Console.line(
            "topics: \(count) topics of \(partitions) partition\(partitions == 1 ? "" : "s") in \(result.seconds) s, \(Int(result.createsPerSecond)) creates/s, prefix \(prefix)"
        )
        for m in milestones {
            Console.line(
                "  at \(m.topics) topics: \(Int(m.createsPerSecond)) creates/s over the last \(m.window) (p50 \(m.p50Micros) µs, p99 \(m.p99Micros) µs)"
            )
        }
    }
}
