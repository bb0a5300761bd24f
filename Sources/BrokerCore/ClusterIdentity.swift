import Foundation

/// The broker's cluster id and node id, kept in the data directory so that Kafka clients, which
/// remember the cluster id they saw in Metadata, see the same one after a restart.
///
/// On disk: `meta.properties` in the data directory, Kafka's own layout (Java properties, one
/// `key=value` per line, `#` comments): `version=1`, `cluster.id=` 22 characters of URL-safe
/// base64 (a random 16-byte id, as `kafka-storage.sh random-uuid` prints), `node.id=`. Written once,
/// atomically, when the directory has none; a file that cannot be read or lacks `cluster.id` is
/// kept and the broker refuses to start, naming it, rather than silently changing the id.
public struct ClusterIdentity: Hashable, Sendable {
    /// The cluster id, as Metadata and DescribeCluster report it.
    public var clusterId: String
    /// The node id.
    public var nodeId: Int32

    /// The file name inside the data directory.
    public static let fileName = "meta.properties"

    /// Reads the identity of `directory`, creating it on first use.
    static func load(directory: String, nodeId: Int32, io: any StorageIO) throws(BrokerError) -> ClusterIdentity {
        let path = directory + "/" + fileName
        if let bytes = try io.readWholeFile(path) {
            let text = String(decoding: bytes, as: UTF8.self)
            var values: [String: String] = [:]
            for line in text.split(whereSeparator: \.isNewline) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard !trimmed.hasPrefix("#"), let eq = trimmed.firstIndex(of: "=") else { continue }
                values[String(trimmed[..<eq])] = String(trimmed[trimmed.index(after: eq)...])
            }
            guard let id = values["cluster.id"], !id.isEmpty else {
                throw .storage(
                    "\(path) has no cluster.id line: restore it from a backup, or move the file aside to give this broker a new cluster id"
                )
            }
            return ClusterIdentity(clusterId: id, nodeId: values["node.id"].flatMap { Int32($0) } ?? nodeId)
        }
        let identity = ClusterIdentity(clusterId: randomId(), nodeId: nodeId)
        let text = """
            # Written by Skiff on first start (Kafka's meta.properties layout). Clients remember the cluster id.
            version=1
            cluster.id=\(identity.clusterId)
            node.id=\(nodeId)

            """
        try io.writeFileAtomically(path, Array(text.utf8), directory: directory)
        return identity
    }

    /// 16 random bytes in URL-safe base64 without padding, as Kafka's `Uuid.randomUuid().toString()`.
    static func randomId() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
