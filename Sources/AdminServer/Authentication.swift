import AdminProtocol

/// Token authentication: who a handshake's token makes the connection, and what a read-only
/// connection may not do (`docs/admin-protocol.md`, sections 4.1 and 5).
public enum Authentication {
    /// Whether `a` and `b` hold the same bytes. The time taken depends only on the lengths, never
    /// on where the bytes first differ: every byte up to the longer length is compared.
    public static func constantTimeEquals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let x = Array(a)
        let y = Array(b)
        var difference = UInt64(truncatingIfNeeded: x.count ^ y.count)
        for i in 0..<max(x.count, y.count) {
            let left = i < x.count ? x[i] : 0
            let right = i < y.count ? y[i] : 0
            difference |= UInt64(left ^ right)
        }
        return difference == 0
    }

    /// The role `token` grants among `tokens`, or nil when it matches none. Every configured token
    /// is compared in full, so the time taken does not tell which one matched.
    public static func role(for token: String?, in tokens: [String: AdminRole]) -> AdminRole? {
        guard let token else { return nil }
        let sent = Array(token.utf8)
        var matched: AdminRole?
        for (candidate, role) in tokens {
            let equal = constantTimeEquals(sent, candidate.utf8)
            if equal && matched == nil { matched = role }
        }
        return matched
    }

    /// The sentence a read-only connection gets for `request`, or nil when the request only reads.
    ///
    /// Group membership (JoinGroup, Heartbeat, LeaveGroup) and CommitOffsets count as writes: a
    /// member joining a group takes partitions away from the group's real consumers, and commits
    /// move the offsets they resume from. A read-only client consumes without a group.
    static func refusal(readOnly request: AdminRequest) -> String? {
        let api: String
        switch request {
        case .apiVersions, .clusterInfo, .listTopics, .describeTopic, .fetch, .listGroups, .describeGroup,
            .fetchOffsets, .subscribe, .unsubscribe, .describeStorage, .search:
            return nil
        case .resetGroupOffsets(let r):
            if r.dryRun { return nil }
            api = "ResetGroupOffsets"
        case .createTopic: api = "CreateTopic"
        case .deleteTopic: api = "DeleteTopic"
        case .alterTopicConfig: api = "AlterTopicConfig"
        case .addPartitions: api = "AddPartitions"
        case .produce: api = "Produce"
        case .deleteGroup: api = "DeleteGroup"
        case .joinGroup: api = "JoinGroup"
        case .heartbeat: api = "Heartbeat"
        case .commitOffsets: api = "CommitOffsets"
        case .leaveGroup: api = "LeaveGroup"
        case .deleteRecords: api = "DeleteRecords"
        }
        return "read-only token: \(api) needs an admin token"
    }
}

/// A broker's token file: one `admin TOKEN` or `read-only TOKEN` per line; `#` starts a comment
/// line, blank lines are ignored.
public enum TokenFile {
    /// A line of the file that is not valid; the message never repeats a token.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong, with the line number.
        public var description: String
    }

    /// Parses the file's text into tokens and their roles; at least one token is required.
    public static func parse(_ text: String) throws(ParseError) -> [String: AdminRole] {
        var tokens: [String: AdminRole] = [:]
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let role: AdminRole
            switch fields.first {
            case "admin": role = .admin
            case "read-only": role = .readOnly
            default:
                throw ParseError(
                    description:
                        "line \(number): expected 'admin TOKEN' or 'read-only TOKEN'; the role must be admin or read-only"
                )
            }
            guard fields.count == 2 else {
                throw ParseError(
                    description: fields.count < 2
                        ? "line \(number): '\(role)' without a token"
                        : "line \(number): a token may not contain spaces; expected '\(role) TOKEN'")
            }
            let token = String(fields[1])
            guard tokens.updateValue(role, forKey: token) == nil else {
                throw ParseError(description: "line \(number): the same token appears on an earlier line")
            }
        }
        guard !tokens.isEmpty else {
            throw ParseError(description: "no tokens: add a line like 'admin TOKEN' or 'read-only TOKEN'")
        }
        return tokens
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}
