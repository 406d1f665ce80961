import Foundation
import Testing
@testable import SluiceHost

/// Compiled-file caching: by file stamp without a watcher, by the watcher's counter with one.
@Suite struct FileCacheTests {
    final class Builds: @unchecked Sendable {
        var count = 0
    }

    func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// Without a watcher (no inotify): every lookup compares the file's size and time.
    @Test func withoutAWatcherAnEditedFileIsRebuilt() throws {
        let folder = TemporaryFolder()
        let path = folder.file("pages/a.html")
        try write(path, "one")
        let cache = FileCache<String>()
        let builds = Builds()
        let build = { (text: String) -> String in builds.count += 1; return text.uppercased() }
        #expect(cache.value(for: path, generation: nil, build: build) == "ONE")
        #expect(cache.value(for: path, generation: nil, build: build) == "ONE")
        #expect(builds.count == 1)
        try write(path, "two!")
        #expect(cache.value(for: path, generation: nil, build: build) == "TWO!")
        try FileManager.default.removeItem(atPath: path)
        #expect(cache.value(for: path, generation: nil, build: build) == nil)
        #expect(builds.count == 2)
    }

    /// With a generation: an entry checked at that generation is trusted (no stat), a new
    /// generation checks the file again, and missing files are remembered too.
    @Test func aGenerationIsTrustedUntilItMoves() throws {
        let folder = TemporaryFolder()
        let path = folder.file("pages/a.html")
        try write(path, "one")
        let cache = FileCache<String>()
        let build = { (text: String) -> String in text }
        #expect(cache.value(for: path, generation: 5, build: build) == "one")
        try write(path, "changed behind the watcher's back")
        #expect(cache.value(for: path, generation: 5, build: build) == "one")
        #expect(cache.value(for: path, generation: 6, build: build) == "changed behind the watcher's back")
        let missing = folder.file("modules/none.js")
        #expect(cache.value(for: missing, generation: 6, build: build) == nil)
        try write(missing, "now here")
        #expect(cache.value(for: missing, generation: 6, build: build) == nil)
        #expect(cache.value(for: missing, generation: 7, build: build) == "now here")
    }

    /// The watcher's counter moves for edits, new files, renames and new folders (then watched too).
    @Test func theWatcherSeesEditsNewFilesAndNewFolders() throws {
        let folder = TemporaryFolder()
        try write(folder.file("pages/index.html"), "home")
        let watcher = FileChangeWatcher(trees: [folder.file("pages"), folder.file("modules")], shallow: [folder.path])
        guard let g0 = watcher.generation() else { return }  // no inotify here: the stat path is tested above
        #expect(watcher.generation() == g0, "nothing changed")
        try write(folder.file("pages/index.html"), "home, edited")
        let g1 = try #require(watcher.generation())
        #expect(g1 != g0)
        try write(folder.file("pages/deep/new/page.html"), "new folder")
        let g2 = try #require(watcher.generation())
        #expect(g2 != g1)
        try write(folder.file("pages/deep/new/page.html"), "edited in the new folder")
        let g3 = try #require(watcher.generation())
        #expect(g3 != g2, "a folder made after the watcher started is watched")
        try write(folder.file("modules/util.js"), "export const a = 1;")
        let g4 = try #require(watcher.generation())
        #expect(g4 != g3, "modules/ appearing later is watched from the site root")
        try write(folder.file("modules/util.js"), "export const a = 2;")
        #expect(try #require(watcher.generation()) != g4)
    }
}
