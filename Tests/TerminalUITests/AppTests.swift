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
/// text, then delivers a key (or changes the size). Gives up after about five seconds.
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
        if reads > 500 { return .character("q") }
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

struct AppTests {
    /// The run loop draws, loads through the effect runner, follows keys, redraws on resize,
    /// and on q stops and restores the terminal.
    @Test func runLoopEndToEnd() {
        let terminal = ScriptedTerminal(
            size: size100x30,
            steps: [
                ("streams-intro", .key(.down)),
                ("● connected", .key(.enter)),
                ("PARTITION LEADER", .resize(TerminalSize(width: 70, height: 20))),
                ("terminal too small (need 80×24, have 70×20)", .resize(size100x30)),
                ("Topics › prices", .key(.character("q"))),
            ])
        let app = App(terminal: terminal, service: demoBroker(), context: testContext)
        app.run()
        #expect(terminal.finishedScript)
        #expect(terminal.restored == 1)
        #expect(app.state.quitting)
        #expect(app.state.route == .topic("prices"))
        #expect(terminal.lastFrame[0].hasSuffix("Topics › prices"))
        #expect(terminal.frames.count < 100)  // drawn when something changed, not every 50 ms
    }
}
