import AdminClient
import AdminProtocol
import AdminServer
import ArgumentParser
import BrokerCore
import Foundation
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `skiff bench connections`: many idle connections plus concurrent producers, with a probe
/// client measuring whether anyone else stalls meanwhile (issue 5's target: 1,000 connections,
/// most idle, plus 50 producers, without errors or stalls).
struct BenchConnections: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "Many idle connections plus concurrent producers; a probe client measures everyone else's latency.",
        discussion: """
            Opens --idle connections that complete the handshake and then stay silent, runs --producers \
            producers (each on its own connection, --in-flight requests at a time) writing --count records in batches of --batch-size \
            round-robin over the topic's partitions (--partitions), while a probe client fetches one \
            record every --probe-interval-ms and times it. At the end every idle connection sends one \
            request, to check the broker kept it open. Raises the open-file soft limit to the hard limit.
            """)

    @OptionGroup var options: BenchOptions

    @Option(help: "Connections that handshake and then stay idle.")
    var idle = 1_000

    @Option(help: "Concurrent producers, each on its own connection.")
    var producers = 50

    @Option(help: "Milliseconds between the probe's requests.")
    var probeIntervalMs = 10

    func validate() throws {
        guard idle >= 0 else { throw ValidationError("--idle must be 0 or more") }
        guard producers >= 1 else { throw ValidationError("--producers must be 1 or more") }
        guard probeIntervalMs >= 1 else { throw ValidationError("--probe-interval-ms must be 1 or more") }
    }

    mutating func run() async throws {
        var options = self.options
        options.connections = producers
        let (idle, probeInterval) = (self.idle, Duration.milliseconds(probeIntervalMs))
        let fileLimit = OpenFileLimit.raiseToHardLimit() ?? -1
        let count = options.count ?? 1_000_000
        let admin = try options.makeClient()
        let frozen = options
        let result = try await frozen.withTopic(admin) { topic, partitions, _ in
            let errors = ErrorTally()
            let (host, port) = AdminClient.parseAddress(frozen.client.brokerAddress)!
            let token = try ClientToken.resolve(file: frozen.client.authTokenFile)
            let idlers = IdleConnections(host: host, port: port, token: token)
            let connectStart = ContinuousClock.now
            let opened = await idlers.open(idle, errors: errors)
            let connectElapsed = ContinuousClock.now - connectStart

            // A record in partition 0 for the probe to fetch.
            _ = try await admin.produce(topic: topic, records: frozen.batch(1, partition: 0))
            let producing = Atomic<Bool>(true)
            let probe = try frozen.makeClient()
            _ = try await probe.fetch(topic: topic, partition: 0, from: .earliest, maxRecords: 1, maxBytes: 1 << 20)
            let probeTask = Task {
                var tally = LatencyTally()
                while producing.load(ordering: .relaxed) {
                    let begin = ContinuousClock.now
                    do {
                        _ = try await probe.fetch(
                            topic: topic, partition: 0, from: .earliest, maxRecords: 1, maxBytes: 1 << 20)
                        tally.record(since: begin)
                    } catch {
                        errors.record("probe: \(error)")
                    }
                    try? await Task.sleep(until: begin + probeInterval)
                }
                return tally
            }
            let start = ContinuousClock.now
            let produced: (records: Int, tally: LatencyTally)
            do {
                produced = try await frozen.produce(count: count, topic: topic, partitions: partitions, errors: errors)
            } catch {
                errors.record("producers: \(error)")
                produced = (0, LatencyTally())
            }
            let elapsed = ContinuousClock.now - start
            producing.store(false, ordering: .relaxed)
            let probeTally = await probeTask.value
            await probe.close()
            let alive = await idlers.checkAndClose()
            return BenchConnectionsResult(
                topic: topic, partitions: partitions, options: frozen, idle: idle, idleOpened: opened,
                idleAlive: alive, connectElapsed: connectElapsed, openFileLimit: fileLimit, records: produced.records,
                elapsed: elapsed, produce: produced.tally, probe: probeTally, errors: errors)
        }
        await admin.close()
        try result.print(json: frozen.client.json)
    }
}

/// Errors seen anywhere in the benchmark: how many, and the first one's message.
final class ErrorTally: Sendable {
    private let state = Mutex<(count: Int, first: String?)>((0, nil))

    func record(_ message: String) {
        state.withLock {
            $0.count += 1
            if $0.first == nil { $0.first = message }
        }
    }

    var count: Int { state.withLock { $0.count } }
    var first: String? { state.withLock { $0.first } }
}

/// Raw connections that handshake and then stay silent: a NIO channel each, with no client
/// machinery (an `AdminClient` per idle connection would cost tasks and buffers for nothing).
/// Each lives in its own task until ``checkAndClose()`` asks it to send one request.
final class IdleConnections: Sendable {
    private let host: String
    private let port: Int
    private let token: String?
    private let release = Gate()
    private let lives = Mutex<[Task<Bool, Never>]>([])

    /// Connections opened at once while connecting (the broker's accept backlog is 256).
    static let connectConcurrency = 64

    init(host: String, port: Int, token: String?) {
        self.host = host
        self.port = port
        self.token = token
    }

    /// Opens `count` connections and handshakes each, ``connectConcurrency`` at a time; returns
    /// how many succeeded (failures go to `errors`).
    func open(_ count: Int, errors: ErrorTally) async -> Int {
        var opened = 0
        var index = 0
        while index < count {
            let wave = min(Self.connectConcurrency, count - index)
            opened += await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<wave {
                    group.addTask {
                        await withCheckedContinuation { (handshook: CheckedContinuation<Bool, Never>) in
                            let task = Task { await self.live(errors: errors, handshook: handshook) }
                            self.lives.withLock { $0.append(task) }
                        }
                    }
                }
                var succeeded = 0
                for await success in group where success { succeeded += 1 }
                return succeeded
            }
            index += wave
        }
        return opened
    }

    /// Sends each open connection one request; returns how many answered (so the broker kept them
    /// open), and closes them all.
    func checkAndClose() async -> Int {
        release.open()
        var alive = 0
        for task in lives.withLock({ $0 }) where await task.value { alive += 1 }
        return alive
    }

    /// One connection's life: connect, handshake (resuming `handshook`), wait for ``release``,
    /// send one request, close. Returns whether that last request was answered.
    private func live(errors: ErrorTally, handshook: CheckedContinuation<Bool, Never>) async -> Bool {
        var reported = false
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(AdminFrameHandler(maxFrameBytes: 64 << 20)))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            return try await channel.executeThenClose { inbound, outbound in
                var responses = inbound.makeAsyncIterator()
                let hello = ApiVersionsRequest(
                    clientName: "skiff-bench-idle", clientVersion: SkiffVersion.current, authToken: token)
                try await outbound.write(AdminFrame.encodeRequest(.apiVersions(hello), version: 1, correlationId: 1))
                guard let answer = try await responses.next() else {
                    throw CLIError("the broker closed the connection during the handshake")
                }
                let header = try Self.header(answer)
                guard header.isSuccess else { throw CLIError("handshake: \(header.displayMessage)") }
                reported = true
                handshook.resume(returning: true)
                await release.wait()
                try await outbound.write(
                    AdminFrame.encodeRequest(
                        .listTopics(ListTopicsRequest(includeInternal: false)), version: 1, correlationId: 2))
                guard let final = try await responses.next() else {
                    throw CLIError("the broker closed an idle connection")
                }
                let finalHeader = try Self.header(final)
                guard finalHeader.isSuccess else { throw CLIError("idle check: \(finalHeader.displayMessage)") }
                return true
            }
        } catch {
            errors.record("idle connection: \(error)")
            if !reported { handshook.resume(returning: false) }
            return false
        }
    }

    private static func header(_ payload: ByteBuffer) throws -> ResponseHeader {
        var payload = payload
        return try ResponseHeader(from: &payload)
    }
}

/// A one-way door: ``wait()`` suspends until ``open()``, and returns at once after it.
final class Gate: Sendable {
    private let state = Mutex<(isOpen: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// What `bench connections` measured (its `--json` output).
struct BenchConnectionsResult: Encodable {
    var benchmark = "connections"
    var topic: String
    var partitions: Int32
    var recordSize: Int
    var batchSize: Int
    /// Idle connections asked for, handshaken, and still served at the end.
    var idleConnections: Int
    var idleOpened: Int
    var idleAlive: Int
    /// Seconds it took to open and handshake the idle connections.
    var idleConnectSeconds: Double
    /// The open-file soft limit the benchmark ran with (-1 = unknown).
    var openFileLimit: Int
    var producers: Int
    /// Requests each producer keeps in flight.
    var inFlight: Int
    /// Records the broker acknowledged.
    var records: Int
    var requests: Int
    var seconds: Double
    var recordsPerSecond: Double
    var mbPerSecond: Double
    /// Per produce request, in microseconds.
    var latencyMicros: BenchResult.Latency
    /// The probe's requests while the producers ran.
    var probeRequests: Int
    /// Per probe request, in microseconds.
    var probeLatencyMicros: BenchResult.Latency
    /// Failed requests and connections of any kind, and the first failure's message.
    var errors: Int
    var firstError: String?

    init(
        topic: String, partitions: Int32, options: BenchOptions, idle: Int, idleOpened: Int, idleAlive: Int,
        connectElapsed: Duration, openFileLimit: Int, records: Int, elapsed: Duration, produce: LatencyTally,
        probe: LatencyTally, errors: ErrorTally
    ) {
        self.topic = topic
        self.partitions = partitions
        self.recordSize = options.recordSize
        self.batchSize = options.batchSize
        self.idleConnections = idle
        self.idleOpened = idleOpened
        self.idleAlive = idleAlive
        self.idleConnectSeconds = Self.seconds(connectElapsed, places: 3)
        self.openFileLimit = openFileLimit
        self.producers = options.connections
        self.inFlight = options.inFlight
        self.records = records
        self.requests = produce.requests
        let seconds = max(Self.seconds(elapsed, places: 9), 1e-9)
        self.seconds = Self.seconds(elapsed, places: 3)
        self.recordsPerSecond = (Double(records) / seconds).rounded()
        self.mbPerSecond = (Double(records * options.recordSize) / seconds / 1e5).rounded() / 10
        self.latencyMicros = produce.latency
        self.probeRequests = probe.requests
        self.probeLatencyMicros = probe.latency
        self.errors = errors.count
        self.firstError = errors.first
    }

    private static func seconds(_ duration: Duration, places: Double) -> Double {
        let (s, atto) = duration.components
        let scale = Foundation.pow(10, places)
        return ((Double(s) + Double(atto) / 1e18) * scale).rounded() / scale
    }

    func print(json: Bool) throws {
        if json {
            try JSON.print(self)
            return
        }
        Console.line(
            "connections: \(idleOpened) of \(idleConnections) idle connections opened in \(idleConnectSeconds) s, "
                + "\(idleAlive) still served at the end (open-file limit \(openFileLimit))")
        Console.line(
            "  \(producers) producers: \(records) records of \(recordSize) B in \(seconds) s, topic \(topic) "
                + "(\(partitions) partition\(partitions == 1 ? "" : "s"), batches of \(batchSize))")
        Console.line("  \(Int(recordsPerSecond)) records/s, \(mbPerSecond) MB/s, \(requests) requests")
        let l = latencyMicros
        Console.line("  produce latency µs: p50 \(l.p50)  p99 \(l.p99)  p99.9 \(l.p999)  max \(l.max)  mean \(l.mean)")
        let p = probeLatencyMicros
        Console.line("  probe (\(probeRequests) 1-record fetches) latency µs: p50 \(p.p50)  p99 \(p.p99)  max \(p.max)")
        Console.line("  errors: \(errors)" + (firstError.map { ", first: \($0)" } ?? ""))
    }
}
