// swift-tools-version:6.2
// Skiff: a bundled single-node broker in Kafka's model plus a terminal UI that talks to it
// over a small binary admin protocol. See docs/codebase-guide.md for the module map.
import PackageDescription

let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error)
]

let package = Package(
    name: "skiff",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BrokerCore", targets: ["BrokerCore"]),
        .library(name: "SkiffText", targets: ["SkiffText"]),
        .library(name: "AdminProtocol", targets: ["AdminProtocol"]),
        .library(name: "AdminServer", targets: ["AdminServer"]),
        .library(name: "AdminClient", targets: ["AdminClient"]),
        .library(name: "TerminalUI", targets: ["TerminalUI"]),
        .library(name: "CursesTerminal", targets: ["CursesTerminal"]),
        .library(name: "SkiffDemo", targets: ["SkiffDemo"]),
        .executable(name: "skiff", targets: ["skiff"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // Kafka's murmur2 key partitioner, shared by the broker core and the terminal UI (which
        // must not import the core). No dependencies.
        .target(name: "KafkaHash", swiftSettings: strict),
        // The topic config keys and the values each accepts: the broker core validates with them and
        // the terminal UI checks as the user types (it must not import the core). No dependencies.
        .target(name: "TopicConfigRules", swiftSettings: strict),
        // Text and time for people, shared by the CLI and the terminal UI: display widths,
        // truncation, padding and wrapping, the one terminal-safe escaping rule, number and
        // duration formats, and the one time syntax. Standard library only.
        .target(name: "SkiffText", swiftSettings: strict),
        .testTarget(name: "SkiffTextTests", dependencies: ["SkiffText"], swiftSettings: strict),
        // CRC-32C with the processor's instruction (SSE 4.2, Arm CRC); C because Swift cannot
        // emit it. BrokerCore falls back to its own tables where the instruction is missing.
        .target(name: "CCRC32C"),
        // The broker core: storage, topics, consumer groups. No networking.
        .target(
            name: "BrokerCore",
            dependencies: [
                "KafkaHash", "TopicConfigRules", "CCRC32C", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BrokerCoreTests",
            dependencies: ["BrokerCore", "TopicConfigRules", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // The admin protocol codec: frames, API keys, error codes, messages. Pure: no I/O, and
        // never imports BrokerCore (the terminal UI depends on it).
        .target(
            name: "AdminProtocol",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AdminProtocolTests",
            dependencies: ["AdminProtocol", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        // The SwiftNIO server: frames in, one handler per API, BrokerBackend calls out.
        .target(
            name: "AdminServer",
            dependencies: [
                "BrokerCore", "AdminProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The async client used by the CLI and the terminal UI. Never imports BrokerCore.
        .target(
            name: "AdminClient",
            dependencies: [
                "AdminProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AdminServerTests",
            dependencies: [
                "BrokerTestSupport", "AdminServer", "AdminClient", "AdminProtocol", "BrokerCore", "TopicConfigRules",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The terminal UI: state, actions, key map, views into a screen buffer. Talks to the
        // broker only through AdminClient; never imports BrokerCore or curses.
        .target(
            name: "TerminalUI",
            dependencies: ["AdminClient", "AdminProtocol", "KafkaHash", "SkiffText", "TopicConfigRules"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TerminalUITests",
            dependencies: ["TerminalUI", "AdminClient", "AdminProtocol", "KafkaHash", "SkiffText", "TopicConfigRules"],
            swiftSettings: strict
        ),
        // ncurses (wide-character build) as a system library; only CursesTerminal imports it.
        .systemLibrary(
            name: "CNcurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        // The real terminal: implements TerminalUI's `Terminal` protocol with ncurses.
        .target(
            name: "CursesTerminal",
            dependencies: ["CNcurses", "TerminalUI", "SkiffText"],
            swiftSettings: strict
        ),
        // A tiny full-screen program on CursesTerminal for the end-to-end tests: shows every style
        // role, CJK text, the size and the last key; `q` quits.
        .executableTarget(
            name: "CursesProbe",
            dependencies: ["CursesTerminal", "TerminalUI"],
            swiftSettings: strict
        ),
        // The demo data set (PRODUCT.md): topics, a live price producer, strategy consumers.
        // Written over the admin protocol only, like any other client.
        .target(
            name: "SkiffDemo",
            dependencies: ["AdminClient", "AdminProtocol", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SkiffDemoTests",
            dependencies: [
                "BrokerTestSupport", "SkiffDemo", "AdminClient", "AdminProtocol", "AdminServer", "BrokerCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Drives real programs under a private tmux server and reads the screen back: CursesProbe,
        // and the built `skiff` binary (found next to the tests, like SkiffCLITests) against a
        // `skiff broker` child process.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["SkiffTestSupport", "KafkaHash", "SkiffText"],
            swiftSettings: strict
        ),
        // An in-process broker served on 127.0.0.1:0, for the test targets that need one.
        .target(
            name: "BrokerTestSupport",
            dependencies: [
                "AdminServer", "AdminClient", "BrokerCore", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/BrokerTestSupport",
            swiftSettings: strict
        ),
        // Finds the built `skiff` executable for the tests that run it (CLI and end-to-end).
        .target(name: "SkiffTestSupport", path: "Tests/SkiffTestSupport", swiftSettings: strict),
        // The skiff executable: thin ArgumentParser commands over the client and the server.
        .executableTarget(
            name: "skiff",
            dependencies: [
                "AdminClient", "AdminServer", "BrokerCore", "AdminProtocol", "TerminalUI", "CursesTerminal",
                "SkiffDemo", "SkiffText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strict
        ),
        // End-to-end tests of the `skiff` binary: they run the built executable (found next to the
        // test bundle in the build products directory) against a `skiff broker` child process.
        // No dependency on Skiff's own modules beyond the murmur2 oracle and the admin client (the
        // crash-safety tests produce in-process to know exactly which offsets were acknowledged):
        // the binary is what is tested.
        .testTarget(
            name: "SkiffCLITests",
            dependencies: ["SkiffTestSupport", "KafkaHash", "AdminClient", "AdminProtocol"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
