import AdminServer
import ArgumentParser
import Dispatch
import Foundation
import Synchronization

/// `skiff`: the bundled broker and a scriptable command line over its admin protocol.
@main
struct Skiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skiff",
        abstract: "A single-node broker in Kafka's model, its terminal UI, and a command line for it.",
        discussion: """
            Start a broker with `skiff broker`, then use the other commands against it. Client commands \
            talk to --broker (default: $SKIFF_BROKER, else 127.0.0.1:9292) and print JSON with --json.
            """,
        version: SkiffVersion.current,
        subcommands: [
            UICommand.self, DemoCommand.self, BrokerCommand.self, TopicCommand.self, ProduceCommand.self,
            ConsumeCommand.self, SearchCommand.self, GroupCommand.self, StorageCommand.self, BenchCommand.self,
        ],
        defaultSubcommand: UICommand.self)

    /// Parses and runs the command; every failure is one line on standard error, `skiff: error: …`,
    /// and a non-zero exit code.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Console.flush()
        } catch {
            fail(error)
        }
    }

    /// Prints `error` the Skiff way and exits: help and `--version` go to standard output with
    /// status 0; anything else goes to standard error prefixed `skiff: error: `.
    static func fail(_ error: any Error) -> Never {
        if let code = error as? ExitCode {
            Console.flush()
            Foundation.exit(code.rawValue)
        }
        let code = exitCode(for: error)
        if code == .success {
            Console.flush()
            exit(withError: error)
        }
        var text = fullMessage(for: error)
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        while text.hasSuffix("\n") { text.removeLast() }
        Console.error("skiff: error: " + text)
        Foundation.exit(code.rawValue)
    }
}

/// A failure of a command that is not the broker's or the arguments' (those have their own types).
struct CLIError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// SIGINT and SIGTERM as an event instead of death: the process ignores the signals and a
/// dispatch source records them, so a command can stop cleanly (commit, flush, write the
/// clean-shutdown marker) before it exits.
final class StopSignal: Sendable {
    private struct State {
        var count = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())
    private let sources: Mutex<[any DispatchSourceSignal]>
    /// Called on every signal after the first (e.g. to give up on a clean shutdown).
    private let onRepeat: (@Sendable (Int32) -> Void)?

    /// Starts watching SIGINT and SIGTERM.
    init(onRepeat: (@Sendable (Int32) -> Void)? = nil) {
        self.onRepeat = onRepeat
        sources = Mutex([])
        sources.withLock { sources in
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [weak self] in self?.received(number) }
                source.resume()
                sources.append(source)
            }
        }
    }

    deinit {
        sources.withLock { sources in
            for source in sources { source.cancel() }
        }
    }

    /// Whether a signal arrived.
    var isRequested: Bool { state.withLock { $0.count > 0 } }

    private func received(_ number: Int32) {
        let (count, waiters) = state.withLock { state in
            state.count += 1
            defer { state.waiters.removeAll() }
            return (state.count, Array(state.waiters.values))
        }
        if count == 1 {
            for waiter in waiters { waiter.resume() }
        } else {
            onRepeat?(number)
        }
    }

    /// Returns when a signal arrives (at once if one already did) or the task is cancelled.
    func wait() async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.count > 0 || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Sleeps for `duration`, returning early when a signal arrives.
    func sleep(for duration: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
