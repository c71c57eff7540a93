import Admin
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Runtime
import Testing

/// The read routes: liveness, readiness, metrics, status and explain.
@Suite struct AdminRoutesTests {
    @Test func healthzAndReadyzWithoutTargets() async throws {
        let harness = try AdminHarness()
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ready\n")
            }
        }
    }

    /// Not ready until every target has a state, ready after the first round, not ready again
    /// while draining.
    @Test func readyzFollowsTheFirstRoundAndTheDrain() async throws {
        let harness = try AdminHarness(extraConfig: AdminHarness.pools())
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == "not ready: 3 target(s) not checked yet\n")
            }
            try await harness.startAllUp()
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ready\n")
            }
            try await client.execute(uri: "/v1/drain", method: .post, headers: bearer(AdminHarness.token)) { response in
                #expect(response.status == .ok)
                #expect(jsonObject(response.body)["result"] as? String == "draining")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == "not ready: draining\n")
            }
            try await client.execute(uri: "/v1/drain", method: .post, headers: bearer(AdminHarness.token)) { response in
                #expect(response.status == .ok)
                #expect(jsonObject(response.body)["result"] as? String == "already draining")
            }
            try await client.execute(uri: "/v1/status", method: .get) { response in
                #expect(jsonObject(response.body)["draining"] as? Bool == true)
                #expect(jsonObject(response.body)["ready"] as? Bool == false)
            }
        }
        await harness.runtime.stop()
    }

    @Test func metricsArePrometheusText() async throws {
        let harness = try AdminHarness(extraConfig: AdminHarness.pools())
        defer { harness.remove() }
        try await harness.startAllUp()
        harness.metrics.record(tcp: false, rcode: .noError, qtype: 1, duration: .microseconds(40))
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE tack_queries_total counter"))
                #expect(text.contains(#"tack_queries_total{transport="udp",rcode="NOERROR",qtype="A"} 1"#))
                #expect(text.contains(#"tack_queries_total{transport="tcp",rcode="NOERROR",qtype="A"} 0"#))
                #expect(text.contains("tack_query_duration_seconds_bucket"))
                #expect(text.contains("tack_ready 1"))
                #expect(text.contains(#"tack_target_state{target="primary",state="up"} 1"#))
                #expect(text.contains(#"tack_pool_serving_tier{pool="app"} 1"#))
                #expect(text.contains(#"tack_reloads{result="success"} 0"#))
            }
        }
        await harness.runtime.stop()
    }

    @Test func statusListsZonesPoolsAndTargetsWithMonitors() async throws {
        let harness = try AdminHarness(extraConfig: AdminHarness.pools())
        defer { harness.remove() }
        try await harness.startAllUp()
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let status = try JSONDecoder.api.decode(StatusReport.self, from: Data(response.body.readableBytesView))
                #expect(status.ready)
                #expect(!status.draining)
                #expect(status.zones.map(\.name) == ["example.test."])
                #expect(status.zones.map(\.serial) == [2026120401])
                #expect(status.pools.map(\.name) == ["app", "alias"])
                let app = try #require(status.pools.first)
                #expect(app.status == "primary")
                #expect(app.tier == 1)
                #expect(app.answer == ["192.0.2.1"])
                #expect(app.targets == ["primary"])
                #expect(status.targets.map(\.name) == ["primary", "secondary", "elsewhere"])
                #expect(status.targets.allSatisfy { $0.state == "up" && $0.forced == nil })
                let monitor = try #require(status.targets.first?.monitors.first)
                #expect(monitor.type == "file")
                #expect(monitor.state == "up")
                #expect(monitor.checks >= 1)
                #expect(monitor.reason.contains("primary up"))
            }
        }
        await harness.runtime.stop()
    }

    @Test func explainZoneAndPoolAnswers() async throws {
        let harness = try AdminHarness(extraConfig: AdminHarness.pools())
        defer { harness.remove() }
        try await harness.startAllUp()
        try await harness.application().test(.router) { client in
            func explain(_ query: String) async throws -> ExplainReport {
                try await client.execute(uri: "/v1/explain?\(query)", method: .get) { response in
                    #expect(response.status == .ok)
                    return try JSONDecoder.api.decode(ExplainReport.self, from: Data(response.body.readableBytesView))
                }
            }
            let www = try await explain("name=www.example.test&type=A")
            #expect(www.source == "zone")
            #expect(www.zone == "example.test.")
            #expect(www.rcode == "NOERROR")
            #expect(www.answer.count == 1 && www.answer[0].contains("192.0.2.80"))
            #expect(www.pool == nil)

            let app = try await explain("name=app.example.test") // type defaults to A
            #expect(app.source == "pool")
            #expect(app.pool?.name == "app")
            #expect(app.pool?.policy == "failover")
            #expect(app.pool?.tier == 1)
            #expect(app.pool?.targets == ["primary"])
            #expect(app.answer.count == 1 && app.answer[0].contains("192.0.2.1"))

            // No AAAA pool at app: the zone answers (NODATA), not the A pool.
            let appAAAA = try await explain("name=app.example.test.&type=AAAA")
            #expect(appAAAA.source == "zone")
            #expect(appAAAA.pool == nil)
            #expect(appAAAA.answer.count == 1 && appAAAA.answer[0].contains("SOA"))

            // A CNAME pool answers every type but RRSIG and NSEC.
            for type in ["A", "AAAA", "TXT", "CNAME"] {
                let alias = try await explain("name=alias.example.test&type=\(type)")
                #expect(alias.source == "pool", "\(type)")
                #expect(alias.pool?.name == "alias", "\(type)")
                #expect(alias.pool?.kind == "CNAME", "\(type)")
            }
            let aliasRRSIG = try await explain("name=alias.example.test&type=RRSIG")
            #expect(aliasRRSIG.source == "zone")

            let outside = try await explain("name=www.example.org&type=A")
            #expect(outside.source == "none")
            #expect(outside.zone == nil)
            #expect(outside.rcode == "REFUSED")
            #expect(outside.reason == "www.example.org. is not in a served zone")
        }
        await harness.runtime.stop()
    }

    @Test func explainRejectsBadQuestionsAsJSON() async throws {
        let harness = try AdminHarness()
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            for (query, says) in [("", "missing name"), ("name=", "missing name"),
                                  ("name=www.example.test&type=BOGUS", "is not a record type"),
                                  ("name=a..b", "is not a domain name")] {
                try await client.execute(uri: "/v1/explain?\(query)", method: .get) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(response.headers[.contentType] == "application/json")
                    let error = jsonObject(response.body)["error"] as? String
                    #expect(error?.contains(says) == true, "\(query): \(error ?? "no error key")")
                }
            }
        }
    }

    /// Hummingbird's own 404 has no body; the API's carries the JSON error naming the route.
    @Test func unknownRoutesAreJSON404s() async throws {
        let harness = try AdminHarness()
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            for (method, path) in [(HTTPRequest.Method.get, "/x"), (.get, "/v1/nothing/here"), (.get, "/v1/reload"),
                                   (.post, "/healthz"), (.delete, "/v1/status")] {
                try await client.execute(uri: path, method: method) { response in
                    #expect(response.status == .notFound, "\(method) \(path)")
                    #expect(response.headers[.contentType] == "application/json")
                    #expect(jsonObject(response.body)["error"] as? String
                        == "no such route: \(method) \(path) — see docs/API.md for the routes")
                }
            }
        }
    }
}

extension JSONDecoder {
    /// Decodes the API's JSON (snake_case keys, ISO 8601 dates).
    static var api: JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
