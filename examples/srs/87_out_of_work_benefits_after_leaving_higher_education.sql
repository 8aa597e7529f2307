-- 87 Out-of-work benefits after leaving higher education, by whether the student qualified.
-- Answers: of the students who left HE in 2013/14 to 2015/16, how many claimed an out-of-work
-- benefit (JSA, ESA, IS, IB, Universal Credit) within one and three years of leaving, how long
-- after leaving the first claim began (median days), and the benefit most often claimed first,
-- for those who left with a qualification and those who did not.
-- Relations: HESA_i2 hesa_2014 to hesa_2016; LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup, leo_benefit.
-- Habits: a leaver's latest HE record kept by ROW_NUMBER; the first claim after leaving by
-- CROSS APPLY (SELECT TOP 1 ... ORDER BY StartDate) and the claims within three years by
-- OUTER APPLY; DATEADD(year, ...) and DATEDIFF(day, ...) on dates (an open spell's
-- 9999-12-31 end is never added to); the per-leaver summary kept by MERGE, whose first
-- WHEN MATCHED clause takes the rows its condition holds for and the second the rest.
SET NOCOUNT ON

IF OBJECT_ID('tempdb..#leavers') IS NOT NULL DROP TABLE #leavers
;WITH he AS (
    SELECT HE_PUPILMATCHINGREFANONYMOUS AS pmr, HE_ENDDATE AS end_date, HE_XQOBTN01 AS obtained
    FROM [HESA_i2].[2002237].[hesa_2014] WHERE HE_ENDDATE IS NOT NULL
    UNION ALL
    SELECT HE_PUPILMATCHINGREFANONYMOUS, HE_ENDDATE, HE_XQOBTN01
    FROM [HESA_i2].[2002237].[hesa_2015] WHERE HE_ENDDATE IS NOT NULL
    UNION ALL
    SELECT HE_PUPILMATCHINGREFANONYMOUS, HE_ENDDATE, HE_XQOBTN01
    FROM [HESA_i2].[2002237].[hesa_2016] WHERE HE_ENDDATE IS NOT NULL
), ranked AS (
    SELECT pmr, end_date,
           CASE WHEN obtained IS NULL OR obtained = '' THEN 'no qualification'
                ELSE 'qualified' END AS outcome,
           ROW_NUMBER() OVER (PARTITION BY pmr ORDER BY end_date DESC, obtained DESC) AS rn
    FROM he
)
SELECT DISTINCT r.pmr, r.end_date, r.outcome, k.EDUKEY AS edukey
INTO #leavers
FROM ranked r
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p ON p.PUPILMATCHINGREFANONYMOUS = r.pmr
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID
WHERE r.rn = 1

CREATE TABLE #summary (pmr VARCHAR(20) NOT NULL, outcome VARCHAR(20), first_claim DATE,
                       first_type VARCHAR(3), days_to_claim INT, claims_3y INT, claimed_1y BIT)
INSERT INTO #summary (pmr, outcome)
SELECT DISTINCT pmr, outcome FROM #leavers

;WITH claims AS (
    SELECT l.pmr, f.StartDate, f.Benefit_type, DATEDIFF(day, l.end_date, f.StartDate) AS days,
           ISNULL(w.n, 0) AS n
    FROM #leavers l
    CROSS APPLY (SELECT TOP 1 b.StartDate, b.Benefit_type
                 FROM [LEO_i2].[2002237].[leo_benefit] b
                 WHERE b.EduKey = l.edukey AND b.Out_of_work_benefit = 1
                   AND b.StartDate > l.end_date
                 ORDER BY b.StartDate, b.Benefit_type) f
    OUTER APPLY (SELECT COUNT(*) AS n
                 FROM [LEO_i2].[2002237].[leo_benefit] b
                 WHERE b.EduKey = l.edukey AND b.Out_of_work_benefit = 1
                   AND b.StartDate > l.end_date
                   AND b.StartDate <= DATEADD(year, 3, l.end_date)) w
)
MERGE #summary AS t
USING (SELECT pmr, MIN(StartDate) AS first_claim, MIN(days) AS days, SUM(n) AS n,
              MIN(Benefit_type) AS first_type
       FROM claims GROUP BY pmr) AS s
ON t.pmr = s.pmr
WHEN MATCHED AND s.days <= 365 THEN
    UPDATE SET first_claim = s.first_claim, first_type = s.first_type, days_to_claim = s.days,
               claims_3y = s.n, claimed_1y = 1
WHEN MATCHED THEN
    UPDATE SET first_claim = s.first_claim, first_type = s.first_type, days_to_claim = s.days,
               claims_3y = s.n, claimed_1y = 0;
PRINT CONCAT('leavers who claimed after leaving: ', @@ROWCOUNT)

SELECT outcome, COUNT(*) AS leavers,
       SUM(CASE WHEN claimed_1y = 1 THEN 1 ELSE 0 END) AS claimed_within_1y,
       SUM(CASE WHEN claims_3y > 0 THEN 1 ELSE 0 END) AS claimed_within_3y,
       CAST(100.0 * SUM(CASE WHEN claims_3y > 0 THEN 1 ELSE 0 END) / COUNT(*) AS DECIMAL(5, 1))
         AS pct_within_3y,
       MAX(median_days) AS median_days_to_first_claim,
       MAX(top_type) AS most_common_first_benefit
FROM (SELECT s.*,
             PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY days_to_claim)
               OVER (PARTITION BY outcome) AS median_days,
             FIRST_VALUE(first_type) OVER (PARTITION BY outcome
               ORDER BY CASE WHEN first_type IS NULL THEN 1 ELSE 0 END,
                        type_claims DESC, first_type) AS top_type
      FROM (SELECT *, COUNT(*) OVER (PARTITION BY outcome, first_type) AS type_claims
            FROM #summary) s) x
GROUP BY outcome
ORDER BY outcome;
