import Foundation
import Testing

/// Every write the server acknowledged survives `kill -9` of the server mid-stream.
@Suite(.serialized) struct CrashTests {
    @Test func acknowledgedWritesSurviveKill9() throws {
        let site = TestServer.makeSite([
            "pages/write.html": """
                <script scope="backend">
                const ok = setCrmField({ slug: 'notes', referenceType: 'crash', referenceId: 'r' + query.i,
                                         fieldKey: 'text', value: 'value-' + query.i });
                response.json({ ok: ok });
                </script>
                """,
            "pages/read.html": """
                <script scope="backend">
                const from = Number(query.from), to = Number(query.to), missing = [];
                for (let i = from; i < to; i++) {
                  const v = getCrmField({ slug: 'notes', referenceType: 'crash', referenceId: 'r' + i, fieldKey: 'text' });
                  if (v !== 'value-' + i) missing.push(i);
                }
                response.json({ missing: missing });
                </script>
                """,
        ])
        let data = TestServer.temporaryDirectory("crash")
        let first = try ServerProcess(site: site, data: data)

        // Four writers stream writes; the server is killed while they run.
        let acknowledged = Acknowledged()
        let group = DispatchGroup()
        for writer in 0..<4 {
            DispatchQueue.global().async(group: group) {
                let client = TestHTTPClient(port: first.port)
                var i = writer
                while true {
                    guard let r = try? client.get("/write?i=\(i)"), r.status == 200,
                          (json(r)?["ok"] as? Bool) == true else { return }
                    acknowledged.add(i)
                    i += 4
                }
            }
        }
        let waitUntil = Date().addingTimeInterval(60)
        while acknowledged.count < 300 && Date() < waitUntil { Thread.sleep(forTimeInterval: 0.01) }
        first.kill9()
        group.wait()
        let acked = acknowledged.values
        #expect(acked.count >= 300)

        let second = try ServerProcess(site: site, data: data)
        let client = TestHTTPClient(port: second.port)
        let maxIndex = (acked.max() ?? 0) + 1
        var missing: Set<Int> = []
        var from = 0
        while from < maxIndex {
            let to = min(maxIndex, from + 200)
            let r = try client.get("/read?from=\(from)&to=\(to)")
            for case let n as Int in (json(r)?["missing"] as? [Any] ?? []) { missing.insert(n) }
            from = to
        }
        let lost = acked.filter { missing.contains($0) }
        #expect(lost.isEmpty, "acknowledged writes lost after kill -9: \(lost.prefix(20))")
        second.terminate()

        // The database file itself is intact.
        let databases = (FileManager.default.enumerator(atPath: data)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".sqlite") || $0.hasSuffix(".db") || $0.hasSuffix(".sqlite3") }
        #expect(!databases.isEmpty)
        for db in databases {
            #expect(try integrityCheck(data + "/" + db) == "ok")
        }
    }

    func integrityCheck(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path, "PRAGMA integrity_check;"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Write indices the server acknowledged, collected from several writer threads.
final class Acknowledged: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Int] = []
    func add(_ i: Int) { lock.lock(); list.append(i); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return list.count }
    var values: [Int] { lock.lock(); defer { lock.unlock() }; return list }
}
