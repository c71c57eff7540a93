import Admin
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Runtime
import Testing
import TestSupport

/// The write routes (force, release, reload, drain) and their authorization.
@Suite struct AdminWriteTests {
    static let writes: [(HTTPRequest.Method, String, String?)] = [
        (.put, "/v1/targets/primary/force", #"{"state": "down"}"#),
        (.delete, "/v1/targets/primary/force", nil),
        (.post, "/v1/reload", nil),
        (.post, "/v1/drain", nil),
    ]

    @Test func writesWithoutAConfiguredTokenAre403() async throws {
        let harness = try AdminHarness(extraConfig: AdminHarness.pools(token: nil))
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            for (method, path, body) in Self.writes {
                try await client.execute(uri: path, method: method, headers: bearer(AdminHarness.token),
                                         body: body.map { ByteBuffer(string: $0) }) { response in
                    #expect(response.status == .forbidden, "\(method) \(path)")
                    #expect((jsonObject(response.body)["error"] as? String)?.hasPrefix("writes are disabled") == true)
                }
            }
        }
        #expect(!harness.drainer.isDraining)
        #expect(harness.reloader.successes == 0)
    }

    @Test func missingOrWrongBearerIs401WithAChallenge() async throws {
        let harness = try AdminHarness(extraConfig: AdminHarness.pools())
        defer { harness.remove() }
        let wrong = bearer(AdminHarness.token + "x")
        let basic: HTTPFields = [.authorization: "Basic \(AdminHarness.token)"]
        try await harness.application().test(.router) { client in
            for headers in [HTTPFields(), wrong, basic, bearer(String(AdminHarness.token.dropLast()))] {
                for (method, path, body) in Self.writes {
                    try await client.execute(uri: path, method: method, headers: headers,
                                             body: body.map { ByteBuffer(string: $0) }) { response in
                        #expect(response.status == .unauthorized, "\(method) \(path)")
                        #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"tack\"")
                        #expect((jsonObject(response.body)["error"] as? String)?.hasPrefix("missing or wrong bearer token") == true)
                    }
                }
            }
        }
        #expect(!harness.drainer.isDraining)
        #expect(harness.reloader.successes == 0)
        #expect(harness.runtime.board?.statuses().allSatisfy { $0.summary.forced == nil } == true)
    }

    @Test func forceDownWithExpiryThenRelease() async throws {
        let harness = try AdminHarness(extraConfig: AdminHarness.pools())
        defer { harness.remove() }
        try await harness.startAllUp()
        try await harness.application().test(.router) { client in
            let before = Date()
            try await client.execute(uri: "/v1/targets/primary/force", method: .put, headers: bearer(AdminHarness.token),
                                     body: ByteBuffer(string: #"{"state": "down", "expires_in": "10m", "reason": "kernel upgrade"}"#)) { response in
                #expect(response.status == .ok)
                let target = try JSONDecoder.api.decode(StatusReport.TargetStatusReport.self, from: Data(response.body.readableBytesView))
                #expect(target.name == "primary")
                #expect(target.state == "down")
                #expect(target.monitoredState == "up")
                #expect(target.forced?.state == "down")
                #expect(target.forced?.reason == "forced by operator: kernel upgrade")
                let until = try #require(target.forced?.until)
                // ISO 8601 in whole seconds: allow the rounding.
                #expect(abs(until.timeIntervalSince(before) - 600) < 5)
            }
            // The pool fails over at once: the force publishes a snapshot.
            try await client.execute(uri: "/v1/explain?name=app.example.test&type=A", method: .get) { response in
                let report = try JSONDecoder.api.decode(ExplainReport.self, from: Data(response.body.readableBytesView))
                #expect(report.pool?.targets == ["secondary"])
                #expect(report.pool?.tier == 2)
            }
            // The state file holds the force (the scheduler saves it after an operator command).
            let saved = try String(contentsOf: harness.dir.appendingPathComponent("tack.health.json"), encoding: .utf8)
            #expect(saved.contains("kernel upgrade"))

            try await client.execute(uri: "/v1/targets/primary/force", method: .delete, headers: bearer(AdminHarness.token)) { response in
                #expect(response.status == .ok)
                let target = try JSONDecoder.api.decode(StatusReport.TargetStatusReport.self, from: Data(response.body.readableBytesView))
                #expect(target.forced == nil)
                #expect(target.state == "up")
            }
            #expect(harness.state("primary") == "up")
        }
        await harness.runtime.stop()
    }

    @Test func forceUpAndNoneOverTheMonitors() async throws {
        let harness = try AdminHarness(extraConfig: AdminHarness.pools())
        defer { harness.remove() }
        try await harness.startAllUp()
        try harness.setStatus(["primary": false, "secondary": true, "elsewhere": true])
        try await waitFor("primary down") { harness.state("primary") == "down" }
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/v1/targets/primary/force", method: .put, headers: bearer(AdminHarness.token),
                                     body: ByteBuffer(string: #"{"state": "UP"}"#)) { response in
                #expect(response.status == .ok)
                let target = try JSONDecoder.api.decode(StatusReport.TargetStatusReport.self, from: Data(response.body.readableBytesView))
                #expect(target.state == "up")
                #expect(target.monitoredState == "down")
                #expect(target.forced?.state == "up")
                #expect(target.forced?.until == nil)
                #expect(target.forced?.reason == "forced by operator")
            }
            try await client.execute(uri: "/v1/targets/primary/force", method: .put, headers: bearer(AdminHarness.token),
                                     body: ByteBuffer(string: #"{"state": "none"}"#)) { response in
                #expect(response.status == .ok)
                let target = try JSONDecoder.api.decode(StatusReport.TargetStatusReport.self, from: Data(response.body.readableBytesView))
                #expect(target.forced == nil)
                #expect(target.state == "down")
            }
        }
        await harness.runtime.stop()
    }

    @Test func forceErrorsAreJSON() async throws {
        let harness = try AdminHarness(extraConfig: AdminHarness.pools())
        defer { harness.remove() }
        let cases: [(HTTPRequest.Method, String, String?, HTTPResponse.Status, String)] = [
            (.put, "/v1/targets/nosuch/force", #"{"state": "down"}"#, .notFound, "no target named \"nosuch\""),
            (.delete, "/v1/targets/nosuch/force", nil, .notFound, "no target named \"nosuch\""),
            (.put, "/v1/targets/primary/force", "state=down", .badRequest, "the body must be JSON"),
            (.put, "/v1/targets/primary/force", nil, .badRequest, "the body must be JSON"),
            (.put, "/v1/targets/primary/force", #"{"expires_in": "10m"}"#, .badRequest, "the body must be JSON"),
            (.put, "/v1/targets/primary/force", #"{"state": "sideways"}"#, .badRequest, "state \"sideways\" is not up, down or none"),
            (.put, "/v1/targets/primary/force", #"{"state": "down", "expires_in": "soon"}"#, .badRequest, "expires_in \"soon\" is not a duration"),
            (.put, "/v1/targets/primary/force", #"{"state": "down", "expires_in": "-5m"}"#, .badRequest, "expires_in \"-5m\" is not a duration"),
        ]
        try await harness.application().test(.router) { client in
            for (method, path, body, status, says) in cases {
                try await client.execute(uri: path, method: method, headers: bearer(AdminHarness.token),
                                         body: body.map { ByteBuffer(string: $0) }) { response in
                    #expect(response.status == status, "\(method) \(path) \(body ?? "")")
                    #expect(response.headers[.contentType] == "application/json")
                    let error = jsonObject(response.body)["error"] as? String
                    #expect(error?.hasPrefix(says) == true, "\(body ?? ""): \(error ?? "no error key")")
                }
            }
        }
        #expect(harness.runtime.board?.statuses().allSatisfy { $0.summary.forced == nil } == true)
    }

    @Test func reloadSwapsAndABrokenZoneKeepsThePreviousData() async throws {
        let harness = try AdminHarness(extraConfig: AdminHarness.pools())
        defer { harness.remove() }
        try await harness.startAllUp()
        let zoneFile = harness.dir.appendingPathComponent("example.test.zone")
        try await harness.application().test(.router) { client in
            let generation = harness.runtime.box.loadWithGeneration().1
            try (SiteFixture.zone + "new IN A 192.0.2.99\n").write(to: zoneFile, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/v1/reload", method: .post, headers: bearer(AdminHarness.token)) { response in
                #expect(response.status == .ok)
                let body = jsonObject(response.body)
                #expect(body["result"] as? String == "reloaded")
                let reported = try #require((body["generation"] as? String).flatMap(UInt64.init))
                #expect(reported > generation)
                #expect(reported == harness.runtime.box.loadWithGeneration().1)
            }
            try await client.execute(uri: "/v1/explain?name=new.example.test", method: .get) { response in
                #expect(jsonObject(response.body)["rcode"] as? String == "NOERROR")
            }

            try "$ORIGIN example.test.\n@ IN SOA ns1 hostmaster 1 2 3 4 5\nwww IN A 300.1.1.1\n"
                .write(to: zoneFile, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/v1/reload", method: .post, headers: bearer(AdminHarness.token)) { response in
                #expect(response.status == .unprocessableContent)
                let error = try #require(jsonObject(response.body)["error"] as? String)
                #expect(error.hasPrefix("reload failed; still serving the previous configuration"))
                #expect(error.contains("example.test.zone"))
            }
            // Still the data of the first reload.
            try await client.execute(uri: "/v1/explain?name=new.example.test", method: .get) { response in
                let report = jsonObject(response.body)
                #expect(report["rcode"] as? String == "NOERROR")
                #expect((report["answer"] as? [String])?.first?.contains("192.0.2.99") == true)
            }
            try await client.execute(uri: "/v1/explain?name=app.example.test", method: .get) { response in
                #expect(jsonObject(response.body)["source"] as? String == "pool")
            }
            #expect(harness.reloader.successes == 1)
            #expect(harness.reloader.failures == 1)
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"tack_reloads{result="success"} 1"#))
                #expect(text.contains(#"tack_reloads{result="failure"} 1"#))
            }
        }
        await harness.runtime.stop()
    }
}
