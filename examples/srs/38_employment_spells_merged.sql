-- 38 Employment spells merged per person, as FFT's employment script builds them.
-- Answers: once each person's EDUKEYs are resolved, identical spells dropped and overlapping
-- or abutting spells merged (gaps and islands), how many merged spells start each year, how
-- many PAYE spells went into them, how many are still open (9999-12-31) and how long the
-- closed ones last (days, mean and median)?
-- Relations: LEO_i2 learner_ae_id_to_edukey_lookup, leo_employment.
-- A person is an AE_ID; two EDUKEYs of one person often hold the same spell (leo_schema.md
-- 4.3, quirk 6). A spell joins the island before it when it starts no later than the day
-- after the latest end so far (a running MAX over the rows before it).
SET NOCOUNT ON;

IF OBJECT_ID('tempdb..#person_lookup') IS NOT NULL DROP TABLE #person_lookup;
DROP TABLE IF EXISTS #spells;
DROP TABLE IF EXISTS #merged;

SELECT k.EDUKEY AS leo_edukey,
       DENSE_RANK() OVER (ORDER BY k.AE_ID) AS person_id
INTO #person_lookup
FROM [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k
WHERE k.EDUKEY IS NOT NULL;

CREATE CLUSTERED INDEX ix_person_lookup ON #person_lookup (leo_edukey);

SELECT DISTINCT p.person_id,
       CAST(e.StartDate AS DATE) AS start_date,
       CAST(e.EndDate AS DATE)   AS end_date
INTO #spells
FROM [LEO_i2].[2002237].[leo_employment] e
INNER JOIN #person_lookup p ON p.leo_edukey = e.EduKey
WHERE e.StartDate IS NOT NULL AND e.EndDate IS NOT NULL;

PRINT 'distinct spells: ' + CAST(@@ROWCOUNT AS VARCHAR(10));

;WITH ordered AS (
    SELECT person_id, start_date, end_date,
           MAX(end_date) OVER (PARTITION BY person_id ORDER BY start_date, end_date
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max_end
    FROM #spells
), flagged AS (
    -- DATEDIFF, not DATEADD(day, 1, prev_max_end): the next day after 9999-12-31 overflows
    SELECT *, CASE WHEN prev_max_end IS NULL OR DATEDIFF(DAY, prev_max_end, start_date) > 1
                   THEN 1 ELSE 0 END AS new_island
    FROM ordered
), numbered AS (
    SELECT *, SUM(new_island) OVER (PARTITION BY person_id ORDER BY start_date, end_date
                                    ROWS UNBOUNDED PRECEDING) AS island
    FROM flagged
)
SELECT person_id, island,
       MIN(start_date) AS spell_start,
       MAX(end_date)   AS spell_end,
       COUNT(*)        AS source_spells
INTO #merged
FROM numbered
GROUP BY person_id, island;

ALTER TABLE #merged ADD spell_days INT NULL, is_open BIT NOT NULL DEFAULT 0;

UPDATE #merged
SET spell_days = CASE WHEN spell_end = '9999-12-31' THEN NULL
                      ELSE DATEDIFF(DAY, spell_start, spell_end) + 1 END,
    is_open = IIF(spell_end = '9999-12-31', 1, 0);

;WITH medians AS (
    SELECT DISTINCT YEAR(spell_start) AS start_year,
           PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY spell_days)
               OVER (PARTITION BY YEAR(spell_start)) AS median_days
    FROM #merged
    WHERE spell_days IS NOT NULL
)
SELECT YEAR(m.spell_start)       AS StartYear,
       COUNT(*)                  AS MergedSpells,
       SUM(m.source_spells)      AS SourceSpells,
       SUM(CAST(m.is_open AS INT)) AS OpenSpells,
       AVG(m.spell_days)         AS MeanClosedDays,
       MAX(md.median_days)       AS MedianClosedDays
FROM #merged m
LEFT JOIN medians md ON md.start_year = YEAR(m.spell_start)
WHERE YEAR(m.spell_start) BETWEEN 2010 AND 2019
GROUP BY YEAR(m.spell_start)
ORDER BY StartYear;
