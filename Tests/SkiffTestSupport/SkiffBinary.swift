import Foundation

// How the tests find the binary
// -----------------------------
// The CLI and end-to-end tests run the real `skiff` executable; they link none of its modules
// (a test target must not depend on an executable target). SwiftPM puts the executable and the
// test runner in the same products directory (`<scratch>/debug/`): on Linux the runner is the
// executable `skiffPackageTests.xctest` itself, on macOS a `.xctest` bundle loaded into a runner.
// So the binary is `skiff` next to the running test executable (/proc/self/exe, argv[0]) or next
// to the loaded `.xctest` bundle, whatever `--scratch-path` was. `swift build --build-tests`
// (scripts/test) and `swift test` build the executable too. Set SKIFF_BINARY to test another build.

/// The `skiff` executable could not be found.
public struct SkiffBinaryNotFound: Error, CustomStringConvertible {
    /// What was looked at and how to fix it.
    public var description: String
}

/// The `skiff` executable under test.
public enum SkiffBinary {
    public static let path: String? = locate()

    /// Every place looked at, for the failure message.
    public static var candidates: [String] {
        var directories: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append((exe as NSString).deletingLastPathComponent)
        }
        if let first = CommandLine.arguments.first {
            let resolved = URL(fileURLWithPath: first).resolvingSymlinksInPath()
            directories.append(resolved.deletingLastPathComponent().path)
        }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            directories.append(bundle.bundleURL.deletingLastPathComponent().path)
        }
        directories.append(Bundle.main.bundleURL.path)
        return directories.map { $0 + "/skiff" }
    }

    private static func locate() -> String? {
        if let explicit = ProcessInfo.processInfo.environment["SKIFF_BINARY"], !explicit.isEmpty {
            return explicit
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public static func require() throws -> String {
        guard let path else {
            throw SkiffBinaryNotFound(
                description:
                    "cannot find the skiff executable; looked at \(candidates.joined(separator: ", ")). Build it with `swift build` or set SKIFF_BINARY."
            )
        }
        return path
    }
}
