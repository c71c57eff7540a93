import Admin
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Runtime
import Testing

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
}
