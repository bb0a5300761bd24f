import Testing

/// The harness itself, against a shell script: typing, reading the screen, resizing, signals.
@Suite(
    "tmux harness", .serialized,
    .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Debian package tmux): end-to-end tests skipped"))
struct TmuxHarnessTests {
    /// Literal text (with CJK) and Enter reach the program, its output is captured, and a resize
    /// both changes the pane and delivers SIGWINCH (the server runs with signals unblocked).
    @Test func sendCaptureAndResize() async throws {
        let script = #"""
            printf 'hello\n'; read x; echo "got $x"
            trap 'echo "winch $(stty size)"' WINCH
            echo ready; while :; do sleep 0.05; done
            """#
        let session = try TmuxSession(command: ["sh", "-c", script], width: 120, height: 40)
        try await session.waitFor(text: "hello")
        #expect(try session.paneSize() == (120, 40))
        try session.sendLiteral("wörld 日本")
        try session.sendKeys("Enter")
        try await session.waitFor(text: "got wörld 日本")
        try await session.waitFor(text: "ready")
        try session.resize(width: 80, height: 24)
        try await session.waitFor(text: "winch 24 80")
        #expect(try session.paneSize() == (80, 24))
        #expect(try session.exitStatus() == nil)
    }

    /// A wait that times out says what it waited for and shows the whole pane.
    @Test func timeoutShowsThePane() async throws {
        let session = try TmuxSession(command: ["sh", "-c", "echo 'first line'; echo 'second line'; sleep 30"])
        try await session.waitFor(text: "second line")
        let error = await #expect(throws: TmuxError.self) {
            try await session.waitFor(text: "never shown", timeout: .milliseconds(200))
        }
        #expect(error?.description.contains("never shown") == true)
        #expect(error?.description.contains("  0|first line") == true)
        #expect(error?.description.contains("  1|second line") == true)
    }

    /// The pane stays after the program ends, with what it printed; kill() ends the server.
    @Test func deadPaneStaysUntilKilled() async throws {
        // tmux can drop the output of a program that exits within microseconds of writing it,
        // so the script lingers a moment, as real programs do.
        let session = try TmuxSession(command: ["sh", "-c", "echo bye; sleep 0.2; exit 3"])
        try await session.waitFor(text: "bye")
        try await session.waitUntil("the program exits") { _ in (try? session.isDead()) == true }
        #expect(try session.capture(history: true).contains("bye"))
        // tmux 3.3 under load sometimes never learns the status (see exitStatus()).
        let status = try session.exitStatus()
        #expect(status == nil || status == 3)
        session.kill()
        #expect(throws: TmuxError.self) { try session.capture() }
    }
}
