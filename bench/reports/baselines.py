"""The hand-written SQL baselines the reports are timed against: one statement each computing the
same figures, on the visits alone (``SQL_HSA``, ``SQL_NETWORK``) and on the tables the app reads,
roll-ups plus the visits since (``SQL_HSA_ROLLUP``, ``SQL_NETWORK_ROLLUP``)."""

from __future__ import annotations

# Parts the hand-written baselines share (the same figures, read the same way in both).
_SESSIONS_BY_ROUTE = """s AS (
  SELECT s.route, s.product, count(*) AS n,
         sum(s.ended_at - s.started_at) FILTER (WHERE s.ended_at IS NOT NULL) AS used,
         count(s.ended_at) AS ended
  FROM consumption_session s JOIN consumption_booth b ON b.id = s.booth_id
  WHERE b.site_id = ANY(%(sites)s) AND s.started_at >= %(t0)s AND s.started_at < %(t1)s
  GROUP BY 1, 2
)"""
_INCIDENTS_BY_KIND = """i AS (
  SELECT kind, count(*) AS n, count(*) FILTER (WHERE naloxone_doses > 0) AS naloxone,
         sum(naloxone_doses) AS doses, count(*) FILTER (WHERE emergency_call) AS calls,
         count(*) FILTER (WHERE hospital_transfer) AS transfers,
         count(*) FILTER (WHERE outcome = 'death') AS deaths
  FROM consumption_incident
  WHERE site_id = ANY(%(sites)s) AND occurred_at >= %(t0)s AND occurred_at < %(t1)s GROUP BY 1
)"""
_SESSIONS_OVERDOSES = """s AS (
  SELECT count(*) AS n FROM consumption_session s JOIN consumption_booth b ON b.id = s.booth_id
  WHERE b.site_id = ANY(%(sites)s) AND s.started_at >= %(t0)s AND s.started_at < %(t1)s
), od AS (
  SELECT count(*) AS n FROM consumption_incident
  WHERE site_id = ANY(%(sites)s) AND occurred_at >= %(t0)s AND occurred_at < %(t1)s
    AND kind IN ('opioid_overdose', 'stimulant_toxicity')
)"""
_NIGHTS_FUNDING = """nights AS (
  SELECT count(*) AS n FROM lodging_bednight bn JOIN lodging_bed bd ON bd.id = bn.bed_id
  WHERE bd.site_id = ANY(%(sites)s) AND bn.night >= %(d0)s AND bn.night <= %(d1)s
), money AS (
  SELECT sum(amount) AS total FROM reports_fundingline
  WHERE site_id = ANY(%(sites)s) AND year = %(year)s
)"""
_NEW_PEOPLE_ROLLUP = """newp AS (
  SELECT count(*) AS n FROM (
    SELECT client_id, min(first_at) AS f FROM (
      SELECT client_id, first_at FROM reports_firstvisit WHERE site_id = ANY(%(sites)s)
      UNION ALL SELECT client_id, arrived_at FROM visits_visit
      WHERE id > %(w)s AND site_id = ANY(%(sites)s) AND client_id IS NOT NULL) u
    GROUP BY client_id) x WHERE f >= %(t0)s AND f < %(t1)s
)"""
_NETWORK_TAIL = """UNION ALL SELECT 'o', row_to_json(od)::text FROM od
UNION ALL SELECT 'm', coalesce(json_agg(months ORDER BY m), '[]')::text FROM months
UNION ALL SELECT 'p', coalesce(json_agg(per_site), '[]')::text FROM per_site
UNION ALL SELECT 'r', row_to_json(outreach)::text FROM outreach
UNION ALL SELECT 'b', row_to_json(nights)::text FROM nights
UNION ALL SELECT 'f', row_to_json(money)::text FROM money
"""

SQL_HSA = f"""
WITH v AS (
  SELECT client_id, arrived_at, purposes FROM visits_visit
  WHERE site_id = ANY(%(sites)s) AND arrived_at >= %(t0)s AND arrived_at < %(t1)s
), vstats AS (
  SELECT count(*) AS visits, count(*) FILTER (WHERE client_id IS NULL) AS anonymous,
         count(client_id) AS identified, count(DISTINCT client_id) AS people,
         count(*) FILTER (WHERE purposes & 1 > 0) AS p1, count(*) FILTER (WHERE purposes & 2 > 0) AS p2,
         count(*) FILTER (WHERE purposes & 4 > 0) AS p4, count(*) FILTER (WHERE purposes & 8 > 0) AS p8,
         count(*) FILTER (WHERE purposes & 16 > 0) AS p16, count(*) FILTER (WHERE purposes & 32 > 0) AS p32,
         count(*) FILTER (WHERE purposes & 64 > 0) AS p64, count(*) FILTER (WHERE purposes & 128 > 0) AS p128
  FROM v
), daily AS (
  SELECT count(*) AS days, max(n) AS peak FROM (
    SELECT (arrived_at AT TIME ZONE 'Europe/Paris')::date AS d, count(*) AS n FROM v GROUP BY 1) x
), ppl AS (
  SELECT c.sex_gender, c.birth_year, count(*) AS n
  FROM clients_client c WHERE c.id IN (SELECT client_id FROM v WHERE client_id IS NOT NULL)
  GROUP BY 1, 2
), newp AS (
  SELECT count(*) AS n FROM (SELECT DISTINCT client_id FROM v WHERE client_id IS NOT NULL) p
  WHERE NOT EXISTS (SELECT 1 FROM visits_visit o WHERE o.client_id = p.client_id
                    AND o.site_id = ANY(%(sites)s) AND o.arrived_at < %(t0)s)
), {_SESSIONS_BY_ROUTE}, {_INCIDENTS_BY_KIND}
SELECT 'v', row_to_json(vstats)::text FROM vstats
UNION ALL SELECT 'd', row_to_json(daily)::text FROM daily
UNION ALL SELECT 'n', row_to_json(newp)::text FROM newp
UNION ALL SELECT 'p', coalesce(json_agg(ppl), '[]')::text FROM ppl
UNION ALL SELECT 's', coalesce(json_agg(s), '[]')::text FROM s
UNION ALL SELECT 'i', coalesce(json_agg(i), '[]')::text FROM i
"""

SQL_NETWORK = f"""
WITH v AS (
  SELECT site_id, client_id, arrived_at FROM visits_visit
  WHERE site_id = ANY(%(sites)s) AND arrived_at >= %(t0)s AND arrived_at < %(t1)s
), per_site AS (
  SELECT site_id, count(DISTINCT client_id) AS people FROM v GROUP BY 1
), months AS (
  SELECT date_trunc('month', arrived_at AT TIME ZONE 'Europe/Paris') AS m, count(*) AS n
  FROM v GROUP BY 1
), tot AS (
  SELECT count(*) AS visits, count(DISTINCT client_id) AS people FROM v
), newp AS (
  SELECT count(*) AS n FROM (SELECT DISTINCT client_id FROM v WHERE client_id IS NOT NULL) p
  WHERE NOT EXISTS (SELECT 1 FROM visits_visit o WHERE o.client_id = p.client_id
                    AND o.site_id = ANY(%(sites)s) AND o.arrived_at < %(t0)s)
), {_SESSIONS_OVERDOSES}, outreach AS (
  SELECT count(*) AS n FROM visits_visit v JOIN network_site st ON st.id = v.site_id
  WHERE v.site_id = ANY(%(sites)s) AND st.kind = 'outreach_team'
    AND v.arrived_at >= %(t0)s AND v.arrived_at < %(t1)s
), {_NIGHTS_FUNDING}
SELECT 't', row_to_json(tot)::text FROM tot
UNION ALL SELECT 'n', row_to_json(newp)::text FROM newp
UNION ALL SELECT 's', row_to_json(s)::text FROM s
{_NETWORK_TAIL}"""


# The same figures, hand-written over the tables the app reads now: the roll-ups for people and
# visits (halte.reports.rollups), plus the visits recorded since their last refresh (``w``); the
# sessions and incidents as before; and the report's other figures (care, referrals, material,
# funding, staff). Purposes are not in the HSA report: not computed here.
SQL_HSA_ROLLUP = f"""
WITH tail AS (
  SELECT client_id, arrived_at, purposes FROM visits_visit
  WHERE id > %(w)s AND site_id = ANY(%(sites)s) AND arrived_at >= %(t0)s AND arrived_at < %(t1)s
), days AS (
  SELECT day, sum(n) AS n, sum(a) AS a FROM (
    SELECT day, visits AS n, anonymous AS a FROM reports_dailyvisits
    WHERE site_id = ANY(%(sites)s) AND day >= %(d0)s AND day <= %(d1)s
    UNION ALL SELECT (arrived_at AT TIME ZONE 'Europe/Paris')::date, 1,
                     CASE WHEN client_id IS NULL THEN 1 ELSE 0 END FROM tail) x GROUP BY day
), people AS (
  SELECT client_id FROM reports_yearpresence
  WHERE site_id = ANY(%(sites)s) AND year = %(year)s AND months & %(mask)s <> 0
  UNION SELECT client_id FROM tail WHERE client_id IS NOT NULL
), vstats AS (
  SELECT sum(n) AS visits, sum(a) AS anonymous, count(*) AS days, max(n) AS peak,
         (SELECT count(*) FROM people) AS people FROM days
), ppl AS (
  SELECT c.sex_gender, c.birth_year, count(*) AS n FROM clients_client c
  WHERE c.id IN (SELECT client_id FROM people) GROUP BY 1, 2
), {_NEW_PEOPLE_ROLLUP}, {_SESSIONS_BY_ROUTE}, {_INCIDENTS_BY_KIND}, care AS (
  SELECT kind, result, count(*) AS n FROM care_careact
  WHERE site_id = ANY(%(sites)s) AND performed_at >= %(t0)s AND performed_at < %(t1)s GROUP BY 1, 2
), social AS (
  SELECT kind, count(*) AS n FROM care_socialact
  WHERE site_id = ANY(%(sites)s) AND performed_at >= %(t0)s AND performed_at < %(t1)s GROUP BY 1
), refs AS (
  SELECT destination_kind, status, count(*) AS n FROM care_referral
  WHERE site_id = ANY(%(sites)s) AND proposed_at >= %(t0)s AND proposed_at < %(t1)s GROUP BY 1, 2
), material AS (
  SELECT l.item, sum(l.quantity) AS n FROM care_distributionline l
  JOIN care_distribution d ON d.id = l.distribution_id
  WHERE d.site_id = ANY(%(sites)s) AND d.given_at >= %(t0)s AND d.given_at < %(t1)s GROUP BY 1
), money AS (
  SELECT funder, year, sum(amount) AS total FROM reports_fundingline
  WHERE site_id = ANY(%(sites)s) AND year = %(year)s GROUP BY 1, 2
), staff AS (
  SELECT profession, sum(fte) AS fte FROM reports_staffposition
  WHERE site_id = ANY(%(sites)s) AND year = %(year)s GROUP BY 1
)
SELECT 'v', row_to_json(vstats)::text FROM vstats
UNION ALL SELECT 'n', row_to_json(newp)::text FROM newp
UNION ALL SELECT 'p', coalesce(json_agg(ppl), '[]')::text FROM ppl
UNION ALL SELECT 's', coalesce(json_agg(s), '[]')::text FROM s
UNION ALL SELECT 'i', coalesce(json_agg(i), '[]')::text FROM i
UNION ALL SELECT 'c', coalesce(json_agg(care), '[]')::text FROM care
UNION ALL SELECT 'a', coalesce(json_agg(social), '[]')::text FROM social
UNION ALL SELECT 'r', coalesce(json_agg(refs), '[]')::text FROM refs
UNION ALL SELECT 'm', coalesce(json_agg(material), '[]')::text FROM material
UNION ALL SELECT 'f', coalesce(json_agg(money), '[]')::text FROM money
UNION ALL SELECT 'e', coalesce(json_agg(staff), '[]')::text FROM staff
"""

SQL_NETWORK_ROLLUP = f"""
WITH tail AS (
  SELECT site_id, client_id, arrived_at FROM visits_visit
  WHERE id > %(w)s AND site_id = ANY(%(sites)s) AND arrived_at >= %(t0)s AND arrived_at < %(t1)s
), days AS (
  SELECT day, sum(n) AS n FROM (
    SELECT day, visits AS n FROM reports_dailyvisits
    WHERE site_id = ANY(%(sites)s) AND day >= %(d0)s AND day <= %(d1)s
    UNION ALL SELECT (arrived_at AT TIME ZONE 'Europe/Paris')::date, 1 FROM tail) x GROUP BY day
), present AS (
  SELECT site_id, client_id FROM reports_yearpresence
  WHERE site_id = ANY(%(sites)s) AND year = %(year)s AND months & %(mask)s <> 0
  UNION SELECT site_id, client_id FROM tail WHERE client_id IS NOT NULL
), per_site AS (
  SELECT site_id, count(*) AS people FROM present GROUP BY 1
), months AS (
  SELECT date_trunc('month', day) AS m, sum(n) AS n FROM days GROUP BY 1
), tot AS (
  SELECT (SELECT sum(n) FROM days) AS visits,
         (SELECT count(DISTINCT client_id) FROM present) AS people
), {_NEW_PEOPLE_ROLLUP}, {_SESSIONS_OVERDOSES}, outreach AS (
  SELECT (SELECT coalesce(sum(d.visits), 0) FROM reports_dailyvisits d
          JOIN network_site st ON st.id = d.site_id
          WHERE d.site_id = ANY(%(sites)s) AND st.kind = 'outreach_team'
            AND d.day >= %(d0)s AND d.day <= %(d1)s)
       + (SELECT count(*) FROM tail t JOIN network_site st ON st.id = t.site_id
          WHERE st.kind = 'outreach_team') AS n
), {_NIGHTS_FUNDING}
SELECT 't', row_to_json(tot)::text FROM tot
UNION ALL SELECT 'n', row_to_json(newp)::text FROM newp
UNION ALL SELECT 's', row_to_json(s)::text FROM s
{_NETWORK_TAIL}"""
