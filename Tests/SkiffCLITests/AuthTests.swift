import Foundation
import Testing

/// `skiff broker --auth-token-file` and the client commands' `--auth-token-file`.
@Suite struct AuthTests {
    /// Writes `text` to a fresh temporary file with `permissions` and returns its path.
    private func tokenFile(_ text: String, permissions: Int = 0o600) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-tokens-\(UUID().uuidString)")
            .path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
        return path
    }

    /// With a token file, `topic create` fails without a token or with a read-only one, and works with the admin token.
    @Test func tokensGateTopicCreate() async throws {
        let brokerTokens = try tokenFile("# tokens\nadmin cli-admin-token\nread-only cli-reader-token\n")
        let adminFile = try tokenFile("cli-admin-token\n")
        let readerFile = try tokenFile("cli-reader-token\n")
        defer {
            for path in [brokerTokens, adminFile, readerFile] { try? FileManager.default.removeItem(atPath: path) }
        }
        let broker = try await BrokerProcess.start(extraArguments: ["--auth-token-file", brokerTokens])
        defer { try? FileManager.default.removeItem(atPath: broker.dataDirectory) }

        let anonymous = try await broker.run(["topic", "create", "t"])
        #expect(anonymous.status != 0)
        #expect(anonymous.stderr.hasPrefix("skiff: error: authentication failed: "), "\(anonymous)")

        let reader = try await broker.run(["topic", "create", "t", "--auth-token-file", readerFile])
        #expect(reader.status != 0)
        #expect(reader.stderr.contains("read-only token: CreateTopic needs an admin token"), "\(reader)")
        let listed = try await broker.ok(["topic", "list", "--auth-token-file", readerFile])
        #expect(!listed.stdout.contains("t "))

        let fromEnvironment = try await skiff(
            ["topic", "create", "t", "--broker", broker.address], environment: ["SKIFF_AUTH_TOKEN": "cli-reader-token"])
        #expect(
            fromEnvironment.stderr.contains("read-only token: CreateTopic needs an admin token"), "\(fromEnvironment)")

        try await broker.ok(["topic", "create", "t", "--auth-token-file", adminFile])
        let list = try await broker.ok(["topic", "list", "--json", "--auth-token-file", readerFile])
        #expect(list.stdout.contains("\"t\""), "\(list)")
        #expect(try await broker.stop() == 0)
    }

    /// A bad token file stops the broker at start with the line at fault; a world-readable one gets a warning.
    @Test func tokenFileProblems() async throws {
        let bad = try tokenFile("admin good-token\nsuperuser other-token\n")
        let open = try tokenFile("admin good-token\n", permissions: 0o644)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-data-\(UUID().uuidString)")
            .path
        defer {
            for path in [bad, open, directory] { try? FileManager.default.removeItem(atPath: path) }
        }
        let refused = try await skiff([
            "broker", "--data-dir", directory, "--listen", "127.0.0.1:0", "--auth-token-file", bad,
        ])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("invalid token file"), "\(refused)")
        #expect(refused.stderr.contains("line 2"), "\(refused)")
        #expect(!refused.stderr.contains("other-token"))

        let broker = try await BrokerProcess.start(
            dataDirectory: directory, extraArguments: ["--auth-token-file", open])
        #expect(broker.child.stderr.contains("readable by every user"), "\(broker.child.stderr)")
        #expect(try await broker.stop() == 0)
    }

    /// A token file that its group or every user can read is warned about, by the broker and by a
    /// client reading its token from one; a private (0600) one is not.
    @Test func sharedTokenFilesAreWarnedAbout() async throws {
        let brokerGroupReadable = try tokenFile("admin shared-token\n", permissions: 0o640)
        let clientGroupReadable = try tokenFile("shared-token\n", permissions: 0o640)
        let clientWorldReadable = try tokenFile("shared-token\n", permissions: 0o604)
        let clientPrivate = try tokenFile("shared-token\n")
        defer {
            for path in [brokerGroupReadable, clientGroupReadable, clientWorldReadable, clientPrivate] {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        let broker = try await BrokerProcess.start(extraArguments: ["--auth-token-file", brokerGroupReadable])
        defer { try? FileManager.default.removeItem(atPath: broker.dataDirectory) }
        #expect(
            broker.child.stderr.contains(
                "skiff: WARNING: the token file \(brokerGroupReadable) is readable by its group (mode 0640); chmod 600 it"
            ), "\(broker.child.stderr)")

        let group = try await broker.ok(["topic", "list", "--auth-token-file", clientGroupReadable])
        #expect(
            group.stderr.contains(
                "skiff: WARNING: the token file \(clientGroupReadable) is readable by its group (mode 0640); chmod 600 it"
            ), "\(group)")
        let world = try await broker.ok(["topic", "list", "--auth-token-file", clientWorldReadable])
        #expect(
            world.stderr.contains(
                "skiff: WARNING: the token file \(clientWorldReadable) is readable by every user (mode 0604); chmod 600 it"
            ), "\(world)")
        let quiet = try await broker.ok(["topic", "list", "--auth-token-file", clientPrivate])
        #expect(!quiet.stderr.contains("WARNING"), "\(quiet)")
        #expect(try await broker.stop() == 0)
    }

    /// Off loopback with a token file, the loud no-authentication warning becomes a note about clear
    /// text. 192.0.2.1 is TEST-NET-1 (never this machine's): the note comes before the bind, which
    /// then fails, so no test listens off loopback.
    @Test func nonLoopbackWithTokensNotes() async throws {
        let tokens = try tokenFile("admin some-token\n")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-data-\(UUID().uuidString)")
            .path
        defer { for path in [tokens, directory] { try? FileManager.default.removeItem(atPath: path) } }
        let result = try await skiff([
            "broker", "--data-dir", directory, "--listen", "192.0.2.1:0", "--auth-token-file", tokens,
        ])
        #expect(!result.stderr.contains("WARNING"), "\(result)")
        #expect(result.stderr.contains("clear text"), "\(result)")
        #expect(result.stderr.contains("cannot listen on 192.0.2.1:0"), "\(result)")
        #expect(result.status != 0)
    }
}
