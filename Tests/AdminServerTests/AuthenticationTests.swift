import AdminClient
import AdminProtocol
import AdminServer
import BrokerCore
import BrokerTestSupport
import NIOCore
import Testing

private let adminToken = "admin-secret-0123"
private let readerToken = "reader-secret-4567"

private func authBroker() async throws -> TestBroker {
    try await TestBroker { $0.tokens = [adminToken: .admin, readerToken: .readOnly] }
}

private func client(_ broker: TestBroker, token: String?) -> AdminClient {
    AdminClient(host: "127.0.0.1", port: broker.port, clientName: "auth-test", authToken: token)
}

/// Sends a raw handshake carrying `token` and returns the answer's header, then whether the server closed.
private func rawHandshake(port: Int, token: String?) async throws -> (ResponseHeader, closed: Bool) {
    let raw = try RawConnection(port: port)
    raw.send(
        AdminFrame.encodeRequest(
            .apiVersions(ApiVersionsRequest(clientName: "raw", clientVersion: "0", authToken: token)), version: 1,
            correlationId: 5))
    let header = try responseHeader(await raw.readFrame())
    return (header, await raw.readFrame() == nil)
}

@Suite(.timeLimit(.minutes(2)))
struct AuthenticationTests {
    /// Without a token the handshake fails with AUTHENTICATION_FAILED and the broker closes the connection.
    @Test func missingTokenIsRefused() async throws {
        let broker = try await authBroker()
        defer { broker.removeData() }
        let (header, closed) = try await rawHandshake(port: broker.port, token: nil)
        #expect(header.correlationId == 5)
        #expect(header.knownErrorCode == .authenticationFailed)
        #expect(header.errorMessage.hasPrefix("authentication failed: "))
        #expect(closed)
        let anonymous = client(broker, token: nil)
        await expectBrokerError(.authenticationFailed) { _ = try await anonymous.listTopics() }
        await anonymous.close()
        try await broker.stop()
    }

    /// A wrong token (also a prefix of a real one) fails the same way, and the message never echoes it.
    @Test func wrongTokenIsRefused() async throws {
        let broker = try await authBroker()
        defer { broker.removeData() }
        for token in ["nope", String(adminToken.dropLast()), adminToken + "x", ""] {
            let (header, closed) = try await rawHandshake(port: broker.port, token: token)
            #expect(header.knownErrorCode == .authenticationFailed)
            #expect(header.errorMessage.hasPrefix("authentication failed: "))
            #expect(token.isEmpty || !header.errorMessage.contains(token))
            #expect(closed)
        }
        let wrong = client(broker, token: "nope")
        await expectBrokerError(.authenticationFailed) { _ = try await wrong.role() }
        await wrong.close()
        try await broker.stop()
    }

    /// A read-only token reads everything, and every write API is refused with CLUSTER_AUTHORIZATION_FAILED, changing nothing.
    @Test func readOnlyTokenReadsButCannotWrite() async throws {
        let broker = try await authBroker()
        defer { broker.removeData() }
        let admin = client(broker, token: adminToken)
        try await admin.createTopic("t", partitions: 1)
        _ = try await admin.produce(topic: "t", records: [ProduceRecord(key: nil, value: [1])])
        try await admin.commitOffsets(groupId: "g", offsets: [CommitOffset(topic: "t", partition: 0, offset: 1)])

        let reader = client(broker, token: readerToken)
        #expect(try await reader.role() == .readOnly)
        _ = try await reader.clusterInfo()
        #expect(try await reader.listTopics().map(\.name) == ["t"])
        #expect(try await reader.describeTopic("t").partitions.count == 1)
        #expect(try await reader.fetch(topic: "t", partition: 0, from: .earliest).records.count == 1)
        #expect(try await reader.listGroups().map(\.groupId) == ["g"])
        _ = try await reader.describeGroup("g")
        #expect(try await reader.fetchOffsets(groupId: "g").map(\.offset) == [1])
        #expect(try await reader.resetGroupOffsets("g", to: .earliest, dryRun: true).count == 1)

        let writes: [(String, @Sendable () async throws -> Void)] = [
            ("CreateTopic", { try await reader.createTopic("u", partitions: 1) }),
            ("DeleteTopic", { try await reader.deleteTopic("t") }),
            ("AlterTopicConfig", { try await reader.alterTopicConfig("t", set: ["retention.ms": "1000"]) }),
            ("AddPartitions", { try await reader.addPartitions("t", totalCount: 3) }),
            ("Produce", { _ = try await reader.produce(topic: "t", records: [ProduceRecord(key: nil, value: [2])]) }),
            ("ResetGroupOffsets", { _ = try await reader.resetGroupOffsets("g", to: .earliest, dryRun: false) }),
            ("DeleteGroup", { try await reader.deleteGroup("g") }),
            (
                "CommitOffsets",
                {
                    try await reader.commitOffsets(
                        groupId: "g", offsets: [CommitOffset(topic: "t", partition: 0, offset: 0)])
                }
            ),
            (
                "JoinGroup",
                {
                    _ = try await reader.joinGroup(
                        JoinGroupRequest(
                            groupId: "g", memberId: "", clientId: "r", sessionTimeoutMs: 10_000,
                            rebalanceTimeoutMs: 10_000, topics: ["t"], assignor: ""))
                }
            ),
            ("Heartbeat", { _ = try await reader.heartbeat(groupId: "g", memberId: "m", generation: 1) }),
            ("LeaveGroup", { try await reader.leaveGroup(groupId: "g", memberId: "m") }),
            (
                "DeleteRecords",
                {
                    _ = try await reader.deleteRecords(
                        topic: "t", partitions: [DeleteRecordsPartition(partition: 0, offset: -1)])
                }
            ),
        ]
        for (api, write) in writes {
            do {
                try await write()
                Issue.record("\(api) was not refused")
            } catch {
                let error = try #require(error as? AdminClientError)
                #expect(error.brokerErrorCode == .clusterAuthorizationFailed, "\(api): \(error)")
                #expect(error.description == "read-only token: \(api) needs an admin token")
            }
        }
        // Nothing changed, and the connection is still usable.
        let topic = try await admin.describeTopic("t")
        #expect(topic.partitions.count == 1)
        #expect(topic.partitions.first?.highWatermark == 1)
        #expect(topic.partitions.first?.logStartOffset == 0)
        #expect(!topic.config.contains { $0.key == "retention.ms" && $0.value == "1000" })
        #expect(try await admin.listTopics().map(\.name) == ["t"])
        #expect(try await admin.fetchOffsets(groupId: "g").map(\.offset) == [1])
        #expect(try await admin.describeGroup("g").members.isEmpty)
        #expect(try await reader.listTopics().count == 1)
        await reader.close()
        await admin.close()
        try await broker.stop()
    }

    /// An admin token may write: create, produce, alter, grow, commit, reset and delete.
    @Test func adminTokenWrites() async throws {
        let broker = try await authBroker()
        defer { broker.removeData() }
        let admin = client(broker, token: adminToken)
        #expect(try await admin.role() == .admin)
        try await admin.createTopic("t", partitions: 1)
        try await admin.alterTopicConfig("t", set: ["retention.ms": "100000"])
        try await admin.addPartitions("t", totalCount: 2)
        _ = try await admin.produce(topic: "t", records: [ProduceRecord(partition: 0, key: nil, value: [1])])
        try await admin.commitOffsets(groupId: "g", offsets: [CommitOffset(topic: "t", partition: 0, offset: 1)])
        _ = try await admin.resetGroupOffsets("g", to: .earliest, dryRun: false)
        #expect(try await admin.fetchOffsets(groupId: "g").map(\.offset) == [0])
        try await admin.deleteGroup("g")
        try await admin.deleteTopic("t")
        #expect(try await admin.listTopics().isEmpty)
        await admin.close()
        try await broker.stop()
    }

    /// Without tokens configured every client is admin, with or without a token.
    @Test func authenticationOff() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        for token in [nil, "anything"] {
            let anyone = client(broker, token: token)
            #expect(try await anyone.role() == .admin)
            try await anyone.createTopic("t", partitions: 1)
            _ = try await anyone.produce(topic: "t", records: [ProduceRecord(key: nil, value: [1])])
            try await anyone.deleteTopic("t")
            await anyone.close()
        }
        try await broker.stop()
    }

    /// A malformed handshake is answered with MALFORMED_REQUEST and does not authenticate the connection.
    @Test func malformedHandshakeDoesNotAuthenticate() async throws {
        let broker = try await authBroker()
        defer { broker.removeData() }
        let raw = try RawConnection(port: broker.port)
        raw.send(rawFrame(apiKey: ApiKey.apiVersions.rawValue, correlationId: 3, body: [0]))
        #expect(try responseHeader(await raw.readFrame()).knownErrorCode == .malformedRequest)
        raw.send(rawFrame(apiKey: ApiKey.listTopics.rawValue, correlationId: 4, body: [0]))
        #expect(try responseHeader(await raw.readFrame()).knownErrorCode == .handshakeRequired)
        try await broker.stop()
    }
}

struct TokenComparisonTests {
    /// Constant-time comparison: equal bytes match; a differing byte, a prefix, a longer or an empty value do not.
    @Test func constantTimeEquals() {
        #expect(Authentication.constantTimeEquals(Array("secret".utf8), Array("secret".utf8)))
        #expect(Authentication.constantTimeEquals([UInt8](), [UInt8]()))
        #expect(!Authentication.constantTimeEquals(Array("secret".utf8), Array("secreT".utf8)))
        #expect(!Authentication.constantTimeEquals(Array("secret".utf8), Array("secre".utf8)))
        #expect(!Authentication.constantTimeEquals(Array("secret".utf8), Array("secret\0".utf8)))
        #expect(!Authentication.constantTimeEquals(Array("secret".utf8), [UInt8]()))
    }

    /// A token maps to its role; an unknown or missing token to none.
    @Test func roleForToken() {
        let tokens: [String: AdminRole] = ["a": .admin, "r": .readOnly]
        #expect(Authentication.role(for: "a", in: tokens) == .admin)
        #expect(Authentication.role(for: "r", in: tokens) == .readOnly)
        #expect(Authentication.role(for: "x", in: tokens) == nil)
        #expect(Authentication.role(for: nil, in: tokens) == nil)
        #expect(Authentication.role(for: "", in: tokens) == nil)
    }

    /// A token file with comments, blank lines, tabs and CRLF line ends parses into its tokens and roles.
    @Test func tokenFileParses() throws {
        let text = "# Skiff tokens\n\nadmin   alpha\r\n  read-only\tbeta  \n# admin commented\n"
        #expect(try TokenFile.parse(text) == ["alpha": .admin, "beta": .readOnly])
    }

    /// Bad token-file lines are refused with their line number and without repeating the token.
    @Test func tokenFileRejectsBadLines() {
        let cases: [(String, String)] = [
            ("admin alpha\nwriter beta\n", "line 2: expected 'admin TOKEN' or 'read-only TOKEN'"),
            ("read-only\n", "line 1: 'read-only' without a token"),
            ("admin alpha beta\n", "line 1: a token may not contain spaces"),
            ("admin alpha\nread-only alpha\n", "line 2: the same token appears on an earlier line"),
            ("# nothing\n\n", "no tokens"),
            ("", "no tokens"),
        ]
        for (text, expected) in cases {
            do {
                _ = try TokenFile.parse(text)
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                #expect(error.description.hasPrefix(expected), "\(error)")
                #expect(!error.description.contains("alpha"))
            }
        }
    }
}
