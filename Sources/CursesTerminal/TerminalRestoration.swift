import CNcurses
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Leaves curses mode however the process ends: a signal that terminates it (SIGINT, SIGTERM,
/// SIGHUP, SIGQUIT), a crash (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT, which Swift
/// traps and `fatalError` raise), or `exit()`. Without this a person's shell is left with no
/// echo, no cursor and the alternate screen.
///
/// Terminating signals restore the terminal, then re-raise the signal with its default action so
/// the parent sees the real cause (a shell prints exit status 130 for SIGINT, 143 for SIGTERM).
/// Crash signals restore the terminal, put back whatever handler was there before (Swift's
/// backtracer, usually) and return, so the faulting instruction runs again and that handler
/// reports the crash as usual.
enum TerminalRestoration {
    /// Whether curses mode is on; flipped by whoever ends it first.
    static let cursesModeActive = Atomic<Bool>(false)
    private static let installed = Atomic<Bool>(false)

    static let terminatingSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    /// The signals that, with ``quitOnTerminate`` set, ask the program to quit (the first time)
    /// instead of ending it at once.
    static let quitSignals: [Int32] = [SIGTERM, SIGHUP]
    /// Whether SIGTERM and SIGHUP become a request to quit (``quitRequested``), so a program
    /// that cleans up on the way out (`skiff demo` removes its data directory) does; a second
    /// one ends the process as usual.
    static let quitOnTerminate = Atomic<Bool>(false)
    /// Set by the first SIGTERM or SIGHUP while ``quitOnTerminate`` is on.
    static let quitRequested = Atomic<Bool>(false)
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT]

    /// Ends curses mode if it is on. Safe to call from any thread and from the handlers.
    static func leaveCursesMode() {
        if cursesModeActive.exchange(false, ordering: .acquiringAndReleasing) {
            endwin()
            // Bracketed paste off again (write(2) is safe in a signal handler).
            let off: StaticString = "\u{1B}[?2004l"
            _ = off.withUTF8Buffer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        }
    }

    /// Unblocks the signals the terminal relies on in the calling thread (threads it starts later
    /// inherit the mask). A program started from a test runner (or anything else that blocks
    /// signals) inherits a mask where SIGWINCH, SIGTERM and friends never arrive.
    static func unblockSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in terminatingSignals + [SIGWINCH, SIGTSTP, SIGCONT, SIGCHLD] { sigaddset(&set, signal) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Installs the handlers and the `atexit` hook, once per process. Called before curses
    /// starts, so ncurses (which only installs its own SIGINT/SIGTERM handlers where the
    /// disposition is still the default) leaves these in place.
    static func install() {
        guard !installed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = defaultAction
        _ = savedCrashActions
        atexit { TerminalRestoration.leaveCursesMode() }
        for signal in terminatingSignals {
            var action = sigaction()
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            setHandler(&action) { signal in
                if signal == SIGTERM || signal == SIGHUP,
                    TerminalRestoration.quitOnTerminate.load(ordering: .acquiring),
                    !TerminalRestoration.quitRequested.exchange(true, ordering: .acquiringAndReleasing)
                {
                    return  // the run loop sees quitRequested and quits
                }
                TerminalRestoration.leaveCursesMode()
                _ = sigaction(signal, TerminalRestoration.defaultAction, nil)
                raise(signal)  // delivered with the default action once this handler returns
            }
            sigaction(signal, &action, nil)
        }
        for signal in crashSignals {
            var action = sigaction()
            sigemptyset(&action.sa_mask)
            action.sa_flags = .init(truncatingIfNeeded: UInt32(SA_RESETHAND) | UInt32(SA_NODEFER))
            setHandler(&action) { signal in
                TerminalRestoration.leaveCursesMode()
                if signal >= 0 && signal < TerminalRestoration.savedActionCount {
                    sigaction(signal, TerminalRestoration.savedCrashActions + Int(signal), nil)
                }
                if signal == SIGABRT { raise(signal) }
            }
            sigaction(signal, &action, savedCrashActions + Int(signal))
        }
    }

    private static func setHandler(
        _ action: inout sigaction, _ handler: @escaping @convention(c) (Int32) -> Void
    ) {
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handler
        #else
        action.__sigaction_u.__sa_handler = handler
        #endif
    }

    /// `SIG_DFL` as an action, made before any handler runs.
    nonisolated(unsafe) static let defaultAction: UnsafeMutablePointer<sigaction> = {
        let action = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
        action.initialize(to: sigaction())
        sigemptyset(&action.pointee.sa_mask)
        #if canImport(Glibc)
        action.pointee.__sigaction_handler.sa_handler = SIG_DFL
        #else
        action.pointee.__sigaction_u.__sa_handler = SIG_DFL
        #endif
        return action
    }()

    /// The crash handlers that were installed before ours, by signal number; written once before
    /// the handlers are installed, read only by the handlers (no allocation in a handler).
    nonisolated(unsafe) static let savedCrashActions: UnsafeMutablePointer<sigaction> = {
        let actions = UnsafeMutablePointer<sigaction>.allocate(capacity: Int(savedActionCount))
        actions.initialize(repeating: sigaction(), count: Int(savedActionCount))
        return actions
    }()
    static let savedActionCount: Int32 = 65
}
