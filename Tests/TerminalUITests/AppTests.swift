import AdminClient
import Synchronization
import Testing

@testable import TerminalUI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An in-memory terminal driven by a script: each step waits until the last frame contains some
/// text, then delivers a key (or changes the size). Gives up after about thirty seconds.
final class ScriptedTerminal: Terminal {
    enum Step {
        case key(Key)
        case resize(TerminalSize)
    }

    var size: TerminalSize
    private var steps: [(waitFor: String, step: Step)]
    private(set) var frames: [ScreenBuffer] = []
    private(set) var restored = 0
    private var reads = 0

    init(size: TerminalSize, steps: [(String, Step)]) {
        self.size = size
        self.steps = steps.map { (waitFor: $0.0, step: $0.1) }
    }

    var lastFrame: [String] { frames.last?.lines ?? [] }

    func draw(_ buffer: ScreenBuffer) { frames.append(buffer) }

    func readKey(timeoutMilliseconds: Int) -> Key? {
        reads += 1
        if reads > 3_000 { return .character("q") }  // about 30 s: give up
        if let next = steps.first, lastFrame.contains(where: { $0.contains(next.waitFor) }) {
            steps.removeFirst()
            switch next.step {
            case .key(let key): return key
            case .resize(let newSize):
                size = newSize
                return .resize
            }
        }
        usleep(UInt32(min(timeoutMilliseconds, 10)) * 1_000)
        return nil
    }

    func restore() { restored += 1 }

    var finishedScript: Bool { steps.isEmpty }
}

/// Hands a value that is only used by one thread at a time to another thread.
final class Handover<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Runs `body` on a new thread, as the executable runs the app on its main thread, so the
/// blocking loop never occupies a thread of the concurrency pool its effects need.
func onOwnThread(_ body: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
        let work = Unmanaged.passRetained(
            Handover(
                {
                    body()
                    done.resume()
                } as @Sendable () -> Void)
        ).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<Handover<@Sendable () -> Void>>.fromOpaque(context!).takeRetainedValue().value()
                return nil
            }, work)
        precondition(started == 0, "cannot start a thread")
        pthread_detach(thread)
    }
}

struct AppTests {
    /// The run loop draws, loads through the effect runner, follows keys, redraws on resize,
    /// and on q stops and restores the terminal.
    @Test func runLoopEndToEnd() async {
        let terminal = ScriptedTerminal(
            size: size100x30,
            steps: [
                ("streams-intro", .key(.down)),
                ("● connected", .key(.enter)),
                ("PARTITION LEADER", .resize(TerminalSize(width: 70, height: 20))),
                ("terminal too small (need 80×24, have 70×20)", .resize(size100x30)),
                ("Topics › prices", .key(.character("q"))),
            ])
        let app = Handover(App(terminal: terminal, service: demoBroker(), context: testContext))
        await onOwnThread { app.value.run() }
        #expect(terminal.finishedScript)
        #expect(terminal.restored == 1)
        #expect(app.value.state.quitting)
        #expect(app.value.state.route == .topic("prices"))
        #expect(terminal.lastFrame[0].hasSuffix("Topics › prices"))
        #expect(terminal.frames.count < 100)  // drawn when something changed, not every 50 ms
    }
}
