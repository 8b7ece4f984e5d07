import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GlossTestSupport
import Logging
import PostgresNIO
import Testing

/// Several relay processes over one PostgreSQL database: any of them answers any request, so a
/// hundred `gloss` clients in ten libraries, syncing at once in rounds and addressing two relays
/// alternately, converge — also when a relay is killed in the middle of their pushes, and when
/// PostgreSQL restarts under them. Each client has its own history; afterwards every library's
/// clients hold one digest and the relay holds exactly the changes made, each once.
@Suite(.serialized) struct RelayManyServersTests {
    let directory = TemporaryDirectory()

    @Test(.enabled(if: Backend.postgresURL != nil || Backend.isCI, "needs GLOSS_TEST_POSTGRES_URL (scripts/with-postgres)"))
    func aHundredClientsInTenLibrariesConvergeThroughTwoRelays() async throws {
        let fleet = try await Fleet.make(in: directory)
        let relays = [try fleet.gloss.startRelay(), try fleet.gloss.startRelay()]
        defer { for relay in relays { relay.stop() } }
        let urls = relays.map(\.url)

        for round in 0..<2 { Self.expectSynced(await fleet.round(round, urls: urls), fleet, "round \(round)") }
        try await fleet.expectConverged()
    }

    @Test(.enabled(if: Backend.postgresURL != nil || Backend.isCI, "needs GLOSS_TEST_POSTGRES_URL (scripts/with-postgres)"))
    func aRelayKilledInTheMiddleOfPushesLosesAndDuplicatesNothing() async throws {
        let fleet = try await Fleet.make(in: directory)
        var relays = [try fleet.gloss.startRelay(), try fleet.gloss.startRelay()]
        defer { for relay in relays { relay.stop() } }
        let urls = relays.map(\.url)

        // Every client pushes its whole history in the first round; once relay 0 has answered
        // some pushes and is answering more, it gets SIGKILL and is started again on its port, as a
        // supervisor would. Its clients' requests are cut or refused meanwhile, and retried.
        async let first = fleet.round(0, urls: urls)
        let caught = await Self.waitUntil(at: [urls[0]]) { $0.pushes >= 5 && $0.inFlight >= 3 }
        #expect(caught, "relay 0 was never seen answering pushes with more in flight")
        relays[0].kill()
        relays[0] = try fleet.gloss.startRelay(port: try #require(URL(string: urls[0])?.port))
        Self.expectSynced(await first, fleet, "the round relay 0 was killed in")

        Self.expectSynced(await fleet.round(1, urls: urls), fleet, "round 1")
        try await fleet.expectConverged()
    }

    @Test(.enabled(if: (Backend.postgresURL != nil && Self.restartCommand != nil) || Backend.isCI,
                   "needs GLOSS_TEST_POSTGRES_URL and GLOSS_TEST_POSTGRES_RESTART (scripts/with-postgres)"))
    func postgreSQLRestartedInTheMiddleOfASyncLosesAndDuplicatesNothing() async throws {
        let restart = try #require(Self.restartCommand, "CI=true and GLOSS_TEST_POSTGRES_RESTART is not set")
        let fleet = try await Fleet.make(in: directory)
        let relays = [try fleet.gloss.startRelay(), try fleet.gloss.startRelay()]
        defer { for relay in relays { relay.stop() } }
        let urls = relays.map(\.url)

        // Once the relays have answered some pushes, with more in flight, PostgreSQL shuts down
        // (cutting the relays' connections mid-query) and starts again; the relays answer 503
        // meanwhile and reconnect, and the clients retry.
        async let first = fleet.round(0, urls: urls)
        let caught = await Self.waitUntil(at: urls) { $0.pushes >= 5 && $0.inFlight >= 3 }
        #expect(caught, "the relays were never seen answering pushes with more in flight")
        let restarted = await Self.onThread { Self.shell(restart) }
        #expect(restarted == 0, "\(restart) exited with \(restarted)")
        Self.expectSynced(await first, fleet, "the round PostgreSQL restarted in")

        Self.expectSynced(await fleet.round(1, urls: urls), fleet, "round 1")
        try await fleet.expectConverged()
        // Every request was answered: none hangs on a connection PostgreSQL ended.
        let after = await Self.metrics(at: urls)
        #expect(after?.inFlight == 0, "requests the relays never answered: \(String(describing: after))")
        print("RelayManyServersTests: the relays answered \(after?.failures ?? -1) requests with 5xx around the restart")
    }

    // MARK: - The clients

    /// Ten people with a library each on one fresh database, and ten stores syncing with each
    /// library, every store with a history of its own and not yet synced.
    struct Fleet: Sendable {
        struct Client: Sendable {
            let store: String
            let library: Int
            /// The changes it made itself.
            let changes: Int
        }

        static let libraries = 10
        static let clientsPerLibrary = 10
        /// `gloss` processes at once: the relays, PostgreSQL and the clients share two cores.
        static let width = 16

        let gloss: Gloss
        let database: String
        /// A token per library, `u0`'s first.
        let tokens: [String]
        let clients: [Client]

        static func make(in directory: TemporaryDirectory) async throws -> Fleet {
            let url = try #require(Backend.postgresURL, "CI=true and GLOSS_TEST_POSTGRES_URL is not set")
            let database = try await RelayManyServersTests.freshDatabase(url)
            let gloss = Gloss(home: directory.path, environment: ["GLOSS_RELAY_DATABASE": database])
            // The first migrates the database; the other people are added side by side.
            _ = try #require(Self.succeeded(gloss, ["relay", "user", "add", "u0"]))
            let made = await RelayManyServersTests.parallel(libraries, width: width) { library -> String? in
                let user = "u\(library)"
                guard library == 0 || Self.succeeded(gloss, ["relay", "user", "add", user]) != nil,
                      Self.succeeded(gloss, ["relay", "library", "add", user, "books"]) != nil,
                      let created = Self.succeeded(gloss, ["relay", "token", "create", user, "--json"]),
                      let object = try? JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any] else { return nil }
                return object["token"] as? String
            }
            let tokens = made.compactMap { $0 }
            try #require(tokens.count == libraries, "could not add every person with a library and a token")

            // Client c: 1 to 3 articles of its own, a highlight with a note on the first, a note on the last.
            let clients = await RelayManyServersTests.parallel(libraries * clientsPerLibrary, width: width) { c -> Client? in
                let name = "c\(c)", store = directory.path + "/" + name
                guard Self.succeeded(gloss, ["init", "--store", store, "--name", name]) != nil else { return nil }
                var files: [String] = []
                for article in 0..<(1 + c % 3) {
                    let file = directory.path + "/\(name)-\(article).txt"
                    guard (try? Data("Article \(article) by \(name)\n\nOn day \(c) the council met about bridge \(article) and the harbor.\n".utf8)
                        .write(to: URL(fileURLWithPath: file))) != nil else { return nil }
                    files.append(file)
                }
                guard let added = Self.succeeded(gloss, ["add", "--store", store, "--json"] + files),
                      let list = try? JSONSerialization.jsonObject(with: Data(added.utf8)) as? [[String: Any]],
                      let first = list.first?["id"] as? String, let last = list.last?["id"] as? String, list.count == files.count,
                      Self.succeeded(gloss, ["highlight", "--store", store, first, "the council met", "--note", "asked by \(name)"]) != nil,
                      Self.succeeded(gloss, ["note", "--store", store, last, "\(name) read this"]) != nil else { return nil }
                return Client(store: store, library: c / clientsPerLibrary, changes: files.count + 2)
            }
            let ready = clients.compactMap { $0 }
            try #require(ready.count == clients.count, "could not make every client's store")
            return Fleet(gloss: gloss, database: database, tokens: tokens, clients: ready)
        }

        /// What `gloss arguments` prints when it succeeds; nil when it fails or cannot run.
        static func succeeded(_ gloss: Gloss, _ arguments: [String]) -> String? {
            let result = gloss.spawn(arguments)
            guard result.status == 0 else { return nil }
            return result.stdout
        }

        /// Every client syncs once, `width` at a time: client `c` through `urls[(c + round) % 2]`,
        /// so each relay serves half of every library and each client meets both over the rounds.
        func round(_ round: Int, urls: [String]) async -> [Gloss.Result] {
            await RelayManyServersTests.parallel(clients.count, width: Self.width) { c in
                let client = clients[c]
                let arguments = ["sync", "--store", client.store, urls[(c + round) % urls.count], "--token", tokens[client.library]]
                return gloss.spawn(arguments)
            }
        }

        /// Per library, every client holds every change its library's clients made and they share
        /// one digest; the relay holds exactly those changes, each once, and says so.
        func expectConverged() async throws {
            let statuses = await RelayManyServersTests.parallel(clients.count, width: Self.width) { c in
                Self.succeeded(gloss, ["status", "--store", clients[c].store, "--json"])
            }
            var made = [Int](repeating: 0, count: tokens.count)
            for client in clients { made[client.library] += client.changes }
            for library in 0..<tokens.count {
                var digests = Set<String>()
                for (c, client) in clients.enumerated() where client.library == library {
                    let status = statuses[c].flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
                    digests.insert(status["digest"] as? String ?? "")
                    let held = (status["counts"] as? [String: Any])?["changes"] as? Int
                    #expect(held == made[library], "c\(c) of library \(library) holds \(String(describing: held)) of its \(made[library]) changes")
                }
                #expect(digests.count == 1, "library \(library)'s clients hold \(digests.count) different digests")
            }

            // What the administration reports, and what the database holds.
            let listed = try #require(Self.succeeded(gloss, ["relay", "user", "list", "--json"]), "relay user list failed")
            let users = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]])
            let reported = Dictionary(users.compactMap { user in (user["name"] as? String).map { ($0, user["changes"] as? Int) } },
                                      uniquingKeysWith: { first, _ in first })
            let stored = try await RelayManyServersTests.changesStored(database)
            for library in 0..<tokens.count {
                #expect(reported["u\(library)"] == made[library], "the relay reports \(String(describing: reported["u\(library)"])) changes of u\(library)'s \(made[library])")
                #expect(stored["u\(library)"] == made[library], "the relay holds \(String(describing: stored["u\(library)"])) changes of u\(library)'s \(made[library])")
            }
        }
    }

    /// Every sync of a round succeeded: any 5xx or cut connection was outlived by the client's retries.
    static func expectSynced(_ results: [Gloss.Result], _ fleet: Fleet, _ round: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let failed = zip(fleet.clients, results).filter { $0.1.status != 0 }
        #expect(failed.isEmpty, "\(round): \(failed.count) syncs failed, as \(failed.prefix(3).map { "\($0.0.store): \($0.1.stderr)" })",
                sourceLocation: sourceLocation)
    }

    // MARK: - Processes, relays, the database

    /// Runs `body` for 0..<count, at most `width` at a time, each on a thread of its own (waiting
    /// for a `gloss` process blocks its thread, and Swift's cooperative pool has one per core),
    /// and gives the results in order.
    static func parallel<T: Sendable>(_ count: Int, width: Int, _ body: @escaping @Sendable (Int) -> T) async -> [T] {
        await withTaskGroup(of: (Int, T).self) { group in
            var results = [T?](repeating: nil, count: count), next = 0
            while next < min(width, count) {
                let i = next
                group.addTask { (i, await onThread { body(i) }) }
                next += 1
            }
            while let (i, result) = await group.next() {
                results[i] = result
                if next < count {
                    let j = next
                    group.addTask { (j, await onThread { body(j) }) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }

    /// `body`'s result, computed on a new thread.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    /// The command PostgreSQL restarts with (scripts/with-postgres exports it).
    static var restartCommand: String? {
        ProcessInfo.processInfo.environment["GLOSS_TEST_POSTGRES_RESTART"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Runs `command` with /bin/sh and gives its exit status.
    static func shell(_ command: String) -> Int32 {
        let words: [String] = ["/bin/sh", "-c", command]
        let arguments = words.map { strdup($0) }
        defer { for argument in arguments { free(argument) } }
        var pid = pid_t()
        guard posix_spawn(&pid, "/bin/sh", nil, nil, arguments + [nil], environ) == 0 else { return -1 }
        return exitStatus(of: pid)
    }

    /// Waits for the child `pid` and gives its exit status (-1 when a signal ended it).
    static func exitStatus(of pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return -1 }
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    /// What relays' `/metrics` say together: pushes answered 200, requests in flight (the
    /// asking one left out), and answers of 500 or more. Nil when one does not answer.
    struct Metrics: Sendable { var pushes = 0, inFlight = 0, failures = 0 }

    static func metrics(at urls: [String]) async -> Metrics? {
        var total = Metrics()
        for url in urls {
            guard let address = URL(string: url + "/metrics"),
                  let answer = try? await URLSession.shared.data(from: address) else { return nil }
            for line in String(decoding: answer.0, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
                guard let value = line.split(separator: " ").last.flatMap({ Double($0) }).map({ Int($0) }) else { continue }
                if line.hasPrefix("gloss_relay_requests_in_flight") { total.inFlight += value - 1 }
                guard line.hasPrefix("gloss_relay_requests_total{") else { continue }
                if line.contains("route=\"/v1/push\""), line.contains("status=\"200\"") { total.pushes += value }
                if line.contains("status=\"5") { total.failures += value }
            }
        }
        return total
    }

    /// Polls the relays' metrics until `condition` holds (true), for 60 s at most (false).
    static func waitUntil(at urls: [String], _ condition: (Metrics) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let metrics = await metrics(at: urls), condition(metrics) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// The changes the relay's database holds, per person, counted row by row.
    static func changesStored(_ url: String) async throws -> [String: Int] {
        try await withClient(url) { client in
            var counts: [String: Int] = [:]
            for try await (name, count) in try await client.query("""
                SELECT u.name, count(c.seq) FROM relay_user u JOIN relay_library l ON l.user_id = u.id
                LEFT JOIN relay_change c ON c.library_id = l.id GROUP BY u.name
                """).decode((String, Int64).self) {
                counts[name] = Int(count)
            }
            return counts
        }
    }

    /// A new, empty database in the cluster `url` names, and its URL.
    static func freshDatabase(_ url: String) async throws -> String {
        var parts = try #require(URLComponents(string: url))
        let name = "relay_e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        var cluster = parts
        cluster.path = "/postgres"
        try await withClient(try #require(cluster.string)) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        parts.path = "/" + name
        return try #require(parts.string)
    }

    /// Runs `body` with a client of the database `url` names.
    static func withClient<T: Sendable>(_ url: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let parts = try #require(URLComponents(string: url))
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        let client = PostgresClient(configuration: .init(host: parts.host ?? "127.0.0.1", port: parts.port ?? 5432,
                                                         username: parts.user ?? "postgres", password: parts.password,
                                                         database: database.isEmpty ? "postgres" : database, tls: .disable))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await client.run(); return nil }
            group.addTask { try await body(client) }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }
}

extension Gloss {
    /// Runs `gloss arguments` as `run` does (stdin empty, output captured), but through
    /// posix_spawn and waitpid: on Linux, Foundation's `Process`, run from many threads at once,
    /// now and then misses a child's exit (it stays a zombie) and waits for good.
    func spawn(_ arguments: [String]) -> Result {
        let environment = childEnvironment
        let output = home + "/.out-" + UUID().uuidString, errors = home + "/.err-" + UUID().uuidString
        defer {
            unlink(output)
            unlink(errors)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let words: [String] = [Self.binary] + arguments
        let argv = words.map { strdup($0) }
        let envp = environment.map { strdup($0.key + "=" + $0.value) }
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        guard posix_spawn(&pid, Self.binary, &actions, nil, argv + [nil], envp + [nil]) == 0 else {
            return Result(status: -1, stdout: "", stderr: "could not start \(Self.binary)")
        }
        let status = RelayManyServersTests.exitStatus(of: pid)
        return Result(status: status, stdout: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
    }
}
