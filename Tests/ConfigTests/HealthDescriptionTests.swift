import Testing
@testable import Config

/// The fingerprint (`pools=` in CHAOS TXT `fingerprint.server.`, `/v1/status`, `tack fleet
/// check`) hashes `Configuration.healthDescription`. Instances of different versions serving the
/// same configuration must agree, so the text is pinned here, byte for byte, for a configuration
/// with every monitor kind, in its default and tuned forms, and every pool policy.
@Suite struct HealthDescriptionTests {
    static let yaml = """
    listen: ["127.0.0.1:5354"]
    zones:
      - name: example.test
        file: example.test.zone
    targets:
      - name: primary
        answers: [192.0.2.10, "2001:db8::10"]
        monitors:
          - type: http
          - name: http-tuned
            type: http
            address: "127.0.0.1:8080"
            path: /health
            host: www.example.test
            expect_status: [200, "300-302"]
            body_contains: ok
            interval: 5s
            timeout: 2s
            jitter: 0s
            rise: 2
            fall: 3
          - name: port
            type: tcp
            address: "127.0.0.1:8443"
        quorum: 1
      - name: secondary
        answers: [198.51.100.20]
        monitors:
          - type: https
          - name: https-tuned
            type: https
            address: "[2001:db8::30]:8443"
            path: /
            host: api.example.test
            validate_certificate: off
            expect_status: 204
            interval: 1m
            timeout: 500ms
      - name: edge
        cname: edge.cdn.example.net
        monitors:
          - type: dns
            address: "127.0.0.1:53"
            query: cdn.example.net
          - name: dns-tuned
            type: dns
            address: "127.0.0.1:5300"
            query: cdn.example.net
            query_type: aaaa
            expect_rcode: nxdomain
            expect_answer: "2001:db8::1"
          - type: exec
            command: [/usr/local/bin/check-edge, --quick, "two words"]
          - type: file
            path: edge-up
      - name: v6only
        answers: ["2001:db8::20"]
        monitors:
          - type: dns
            query: example.test
    pools:
      - name: app
        owner: app.example.test
        kind: A
        tiers:
          - [primary]
          - [{target: secondary, weight: 3}]
        policy: failover
        all_down: nodata
        ttl: 60
        degraded_ttl: 10
      - name: cdn
        owner: www.example.test
        kind: CNAME
        tiers: [[edge]]
        policy: weighted
        ttl: 300
      - name: six
        owner: six.example.test
        kind: AAAA
        tiers: [[primary, {target: v6only, weight: 2}]]
        policy: multivalue
        max_answers: 4
        min_healthy: 2
        ttl: 30
    """

    static let expected = """
    target primary answers 192.0.2.10,2001:db8::10 quorum 1
      monitor http http address=192.0.2.10:80 path=- host=- status=200-399 body=- verify=true query=-/SOA/NOERROR/- command= interval=10.0 seconds timeout=3.0 seconds jitter=1.0 seconds rise=2 fall=3
      monitor http-tuned http address=127.0.0.1:8080 path=/health host=www.example.test status=200-200,300-302 body=ok verify=true query=-/SOA/NOERROR/- command= interval=5.0 seconds timeout=2.0 seconds jitter=0.0 seconds rise=2 fall=3
      monitor port tcp address=127.0.0.1:8443 path=- host=- status=200-399 body=- verify=true query=-/SOA/NOERROR/- command= interval=10.0 seconds timeout=3.0 seconds jitter=1.0 seconds rise=2 fall=3
    target secondary answers 198.51.100.20 quorum all
      monitor https https address=198.51.100.20:443 path=- host=- status=200-399 body=- verify=true query=-/SOA/NOERROR/- command= interval=10.0 seconds timeout=3.0 seconds jitter=1.0 seconds rise=2 fall=3
      monitor https-tuned https address=[2001:db8::30]:8443 path=/ host=api.example.test status=204-204 body=- verify=false query=-/SOA/NOERROR/- command= interval=60.0 seconds timeout=0.5 seconds jitter=1.0 seconds rise=2 fall=3
    target edge answers edge.cdn.example.net. quorum all
      monitor dns dns address=127.0.0.1:53 path=- host=- status=200-399 body=- verify=true query=cdn.example.net./SOA/NOERROR/- command= interval=10.0 seconds timeout=3.0 seconds jitter=1.0 seconds rise=2 fall=3
      monitor dns-tuned dns address=127.0.0.1:5300 path=- host=- status=200-399 body=- verify=true query=cdn.example.net./AAAA/NXDOMAIN/2001:db8::1 command= interval=10.0 seconds timeout=3.0 seconds jitter=1.0 seconds rise=2 fall=3
      monitor exec exec address=- path=- host=- status=200-399 body=- verify=true query=-/SOA/NOERROR/- command=/usr/local/bin/check-edge --quick two words interval=10.0 seconds timeout=3.0 seconds jitter=1.0 seconds rise=2 fall=3
      monitor file file address=- path=/etc/tack/edge-up host=- status=200-399 body=- verify=true query=-/SOA/NOERROR/- command= interval=10.0 seconds timeout=3.0 seconds jitter=1.0 seconds rise=2 fall=3
    target v6only answers 2001:db8::20 quorum all
      monitor dns dns address=[2001:db8::20]:53 path=- host=- status=200-399 body=- verify=true query=example.test./SOA/NOERROR/- command= interval=10.0 seconds timeout=3.0 seconds jitter=1.0 seconds rise=2 fall=3
    pool app app.example.test. A failover min=1 alldown=nodata ttl=60 degraded=10 tiers primary:1 | secondary:3
    pool cdn www.example.test. CNAME weighted min=1 alldown=default ttl=300 degraded=default tiers edge:1
    pool six six.example.test. AAAA multivalue(maxAnswers: 4) min=2 alldown=default ttl=30 degraded=default tiers primary:1,v6only:2

    """

    @Test func textIsPinned() throws {
        let text = try decode(HealthDescriptionTests.yaml).healthDescription
        #expect(text == HealthDescriptionTests.expected)
    }
}
