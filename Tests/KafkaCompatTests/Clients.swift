import Foundation

// The Kafka clients of the compatibility suite
// --------------------------------------------
// Each client has a driver under Tests/KafkaCompat/ (Python scripts, a Go program) that runs one
// scenario against `--bootstrap HOST:PORT` and prints one JSON object, or `FAIL …` on standard error
// with a non-zero exit. The clients come from outside the repository: PyPI's confluent-kafka,
// kafka-python 3.x and aiokafka in the virtualenv `scripts/python-env` makes (`.venv/`, or the
// interpreter named by $SKIFF_COMPAT_PYTHON); Debian's kcat ($SKIFF_COMPAT_KCAT to use another);
// Debian's sarama 1.22 built with Debian's Go (GOPATH=/usr/share/gocode, GO111MODULE=off) into
// `.build/kafka-compat/` once per run. `.ci/run` installs all of them. A missing client fails its
// tests with the install step; it never skips them.

/// Where the repository is: this file is Tests/KafkaCompatTests/Clients.swift.
let repositoryRoot: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
}()

let driverDirectory = repositoryRoot + "/Tests/KafkaCompat"

enum Client: String, CaseIterable, Sendable {
    case confluentKafka = "confluent-kafka"
    case kafkaPython = "kafka-python"
    case aiokafka
    case kcat
    case sarama

    var script: String? {
        switch self {
        case .confluentKafka: "confluent_compat.py"
        case .kafkaPython: "kafka_python_compat.py"
        case .aiokafka: "aiokafka_compat.py"
        case .kcat: "kcat_compat.py"
        case .sarama: nil
        }
    }

    /// The executable and leading arguments that run this client's driver.
    func driver() async throws -> (String, [String]) {
        switch self {
        case .sarama:
            return (try await Sarama.binary.value, [])
        case .kcat:
            _ = try Environment.kcat()
            return (try Environment.python(requiredFor: self), [driverDirectory + "/" + (script ?? "")])
        default:
            return (try Environment.python(requiredFor: self), [driverDirectory + "/" + (script ?? "")])
        }
    }

    /// What to do when this client is missing.
    var installStep: String {
        switch self {
        case .confluentKafka, .kafkaPython, .aiokafka:
            "run scripts/python-env (it creates .venv/ with pip install confluent-kafka kafka-python aiokafka; .ci/run calls it) or set SKIFF_COMPAT_PYTHON"
        case .kcat: "apt-get install kcat (.ci/run installs it when missing) or set SKIFF_COMPAT_KCAT"
        case .sarama:
            "apt-get install golang-go golang-github-shopify-sarama-dev (.ci/run installs them when missing)"
        }
    }
}

enum Environment {
    static func executable(named name: String, extra: [String] = []) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { "\($0)/\(name)" } + extra
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The Python interpreter with the client libraries.
    static func python(requiredFor client: Client) throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["SKIFF_COMPAT_PYTHON"], !explicit.isEmpty {
            return explicit
        }
        let venv = repositoryRoot + "/.venv/bin/python"
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        if client == .kcat, let system = executable(named: "python3") { return system }  // standard library only
        throw CompatFailure("\(client.rawValue): no Python virtualenv at \(venv): \(client.installStep)")
    }

    static func kcat() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["SKIFF_COMPAT_KCAT"], !explicit.isEmpty {
            return explicit
        }
        guard let path = executable(named: "kcat") else {
            throw CompatFailure("kcat is not installed: \(Client.kcat.installStep)")
        }
        return path
    }
}

/// Builds the sarama driver once per test run (GOCACHE under .build/ keeps later builds quick).
enum Sarama {
    static let gopath = "/usr/share/gocode"

    static let binary = Task<String, any Error> {
        guard let go = Environment.executable(named: "go", extra: ["/usr/lib/go/bin/go"]) else {
            throw CompatFailure("Go is not installed: \(Client.sarama.installStep)")
        }
        guard FileManager.default.fileExists(atPath: gopath + "/src/github.com/Shopify/sarama/sarama.go") else {
            throw CompatFailure("sarama is not installed in \(gopath): \(Client.sarama.installStep)")
        }
        let output = repositoryRoot + "/.build/kafka-compat"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let result = try await run(
            // GOPATH mode builds a directory outside GOPATH by its relative path only.
            go, ["build", "-o", output + "/sarama-compat", "./Tests/KafkaCompat/sarama"],
            environment: [
                "GOPATH": gopath, "GO111MODULE": "off", "CGO_ENABLED": "1", "GOCACHE": output + "/go-cache",
                "GOFLAGS": nil,
            ], currentDirectory: repositoryRoot, timeout: .seconds(300))
        guard result.status == 0 else {
            throw CompatFailure("cannot build the sarama driver (\(Client.sarama.installStep)):\n\(result)")
        }
        return output + "/sarama-compat"
    }
}

// MARK: - Results

/// A record as the drivers print it: bytes are base64, null stays null.
struct ClientRecord: Decodable, Sendable {
    var partition: Int32
    var offset: Int64
    var timestamp: Int64
    var key: String?
    var value: String?
    var headers: [[String?]]

    var keyBytes: [UInt8]? { key.map(Self.decode) }
    var valueBytes: [UInt8]? { value.map(Self.decode) }
    var headerBytes: [Header] {
        headers.map { Header(key: $0.first.flatMap { $0 } ?? "", value: $0.count > 1 ? $0[1].map(Self.decode) : nil) }
    }

    static func decode(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64) ?? Data("<not base64>".utf8)) }
}

struct Header: Equatable, Sendable, CustomStringConvertible {
    var key: String
    var value: [UInt8]?
    var description: String { "\(key)=\(value.map { shown($0) } ?? "null")" }
}

/// What a driver printed on success.
struct ScenarioOutput: Decodable, Sendable {
    var client: String
    var scenario: String
    var ok: Bool
    var seconds: Double?
    var topics: [String: [ClientRecord]]?
    var records: [ClientRecord]?
    var acked: Int?
    var failed: Int?
    var produced: Int?
    var stored: Int?
}

/// Bytes for failure messages: text when it is printable UTF-8, else hex; long ones cut.
func shown(_ bytes: [UInt8]?) -> String {
    guard let bytes else { return "null" }
    let cut = Array(bytes.prefix(40))
    let more = bytes.count > 40 ? "… (\(bytes.count) bytes)" : ""
    if let text = String(validating: cut, as: UTF8.self), !text.unicodeScalars.contains(where: { $0.value < 0x20 }) {
        return "\"\(text)\"" + more
    }
    return "0x" + cut.map { String(format: "%02x", $0) }.joined() + more
}

/// Runs one scenario of `client` against `broker`; throws with the driver's complaint, the end of
/// its debug log (librdkafka `debug=protocol,broker,…`, the Python clients' DEBUG logging, sarama's
/// logger) and the broker's log when it fails.
func runScenario(
    _ client: Client, _ scenario: String, broker: KafkaBroker, directory: TemporaryDirectory,
    extra: [String] = [], timeout: Duration = .seconds(180)
) async throws -> ScenarioOutput {
    let (executable, leading) = try await client.driver()
    let debugLog = directory.file("\(client.rawValue)-\(scenario).debug.log")
    let arguments =
        leading + [
            "--bootstrap", broker.kafkaAddress, "--scenario", scenario, "--prefix", "compat", "--node-id", "0",
            "--debug-log", debugLog, "--timeout", "30",
        ] + extra
    let result = try await run(
        executable, arguments, environment: ["PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"],
        timeout: timeout)
    return try decodeOutput(result, client: client, scenario: scenario, debugLog: debugLog)
}

func decodeOutput(_ result: Finished, client: Client, scenario: String, debugLog: String) throws -> ScenarioOutput {
    if result.status == 0, let output = try? JSONDecoder().decode(ScenarioOutput.self, from: result.stdout), output.ok {
        return output
    }
    var message = "\(client.rawValue) \(scenario) failed (exit \(result.status)):\n\(tail(result.stderr, lines: 60))"
    if result.stderr.contains("ModuleNotFoundError") || result.stderr.contains("No module named") {
        message += "\nA client library is missing: \(client.installStep)"
    }
    if result.status == 0 { message += "\n--- stdout:\n\(result.stdoutText.prefix(2000))" }
    let log = (try? String(contentsOfFile: debugLog, encoding: .utf8)) ?? ""
    if !log.isEmpty { message += "\n--- client debug log (end):\n\(tail(log, lines: 60))" }
    throw CompatFailure(message)
}
