import Foundation

/// The real `sluice` executable started as a child process (`sluice serve …`), so a test can
/// kill it with SIGKILL like a crash would.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let output = Pipe()

    /// The `sluice` binary next to the test bundle (SwiftPM builds both into the same folder).
    static var executable: String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: me).deletingLastPathComponent()
        // Inside an .xctest bundle on some layouts the binary sits one level deeper.
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("sluice").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("sluice").path
    }

    init(site: String, data: String) throws {
        process.executableURL = URL(fileURLWithPath: ServerProcess.executable)
        process.arguments = ["serve", site, "--port", "0", "--data", data]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line says where it listens: "Serving … at http://127.0.0.1:PORT".
        var line = ""
        let handle = output.fileHandleForReading
        let deadline = Date().addingTimeInterval(30)
        while !line.contains("\n"), Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = line.range(of: "http://127.0.0.1:"),
              let port = Int(line[range.upperBound...].prefix { $0.isNumber }) else {
            process.terminate()
            throw TestHTTPClient.Failure(description: "sluice serve did not report its address: \(line)")
        }
        self.port = port
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { if process.isRunning { kill9() } }
}
