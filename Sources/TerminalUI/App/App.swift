#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal UI's run loop: draws the state when it changed, reads a key (50 ms timeout),
/// dispatches it, takes finished effect results from the inbox, ticks the clock (auto-refresh,
/// retries), and on `q` stops every subscription and restores the terminal.
///
/// ```swift
/// let app = App(terminal: CursesTerminal(), service: client,
///               context: AppContext(brokerAddress: client.address, dataDirectory: dataDir))
/// app.run()
/// ```
public final class App {
    /// The terminal drawn on.
    public let terminal: any Terminal
    /// The broker.
    public let service: any AdminService
    /// Where the app is connected.
    public let context: AppContext
    /// The state after the last action (for inspection after `run` returns).
    public private(set) var state: AppState
    /// Called on the loop's thread right after each frame reached the terminal, with the state it
    /// shows; nil = nothing. For instrumentation only (`skiff ui` uses it for `SKIFF_FIRST_FRAME_FILE`).
    public var didDraw: ((AppState) -> Void)?
    private let runner: EffectRunner
    private let clock: () -> Int64

    /// An app drawing on `terminal` and talking to `service`; nothing happens before ``run()``.
    public convenience init(terminal: any Terminal, service: any AdminService, context: AppContext) {
        self.init(terminal: terminal, service: service, context: context, clock: App.wallClockMs)
    }

    /// An app with an explicit wall clock in milliseconds since the epoch (for tests).
    public init(
        terminal: any Terminal, service: any AdminService, context: AppContext, clock: @escaping () -> Int64
    ) {
        self.terminal = terminal
        self.service = service
        self.context = context
        self.clock = clock
        self.state = AppState(context: context, size: terminal.size, nowMs: clock(), glyphs: terminal.glyphs)
        self.runner = EffectRunner(service: service, brokerAddress: context.brokerAddress)
    }

    /// Runs until the user quits, then restores the terminal. Blocks the calling thread (effects
    /// run on Swift's concurrency pool), so call it from synchronous code such as the `run()` of
    /// a non-async command, not from inside an async task.
    public func run() {
        defer {
            runner.cancelAll()
            terminal.restore()
        }
        var dirty = true
        var lastSecond = state.nowMs / 1_000
        dispatch(.start)
        while !state.quitting {
            let size = terminal.size
            if size != state.size {
                dispatch(.resize(size))
                dirty = true
            }
            if dirty {
                var buffer = ScreenBuffer(size: state.size, glyphs: state.glyphs)
                render(state, into: &buffer)
                terminal.draw(buffer)
                didDraw?(state)
                dirty = false
            }
            // Every key already waiting is handled before the next frame (keys typed faster than
            // frames, or a paste without bracketed paste mode, cost one frame, not one each); a
            // long burst still draws every 16 ms or so.
            var timeout = 50
            let burstStart = clock()
            while let key = terminal.readKey(timeoutMilliseconds: timeout) {
                if key == .resize {
                    dispatch(.resize(terminal.size))
                } else {
                    dispatch(.key(key))
                }
                dirty = true
                timeout = 0
                if state.quitting || clock() - burstStart >= 16 { break }
            }
            for action in runner.inbox.drain() {
                dispatch(action)
                dirty = true
            }
            let now = clock()
            if dispatch(.tick(nowMs: now)) || now / 1_000 != lastSecond {
                dirty = true
                lastSecond = now / 1_000
            }
        }
    }

    /// Applies `action` and starts its effects; returns whether it produced any.
    @discardableResult
    private func dispatch(_ action: Action) -> Bool {
        let effects = update(&state, action)
        for effect in effects {
            if case .copyToClipboard(let bytes) = effect {
                terminal.copyToClipboard(bytes)
            } else {
                runner.run(effect)
            }
        }
        return !effects.isEmpty
    }

    /// Milliseconds since the epoch from the system's real-time clock.
    public static func wallClockMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
