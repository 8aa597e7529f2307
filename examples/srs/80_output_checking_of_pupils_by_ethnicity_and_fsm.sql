-- 80 Output checking: pupils by ethnic group and FSM, rounded and suppressed for release.
-- Answers: per major ethnic group, the spring 2011 pupils eligible and not eligible for free
-- school meals and in all, rounded to the nearest 5, with counts under 10 suppressed ('c'),
-- the next smallest cell of a row with one suppressed cell suppressed too, and each shown
-- cell's share of its row from the rounded counts, as one wide table for the output request.
-- Relations: NPD_i2 spring_census_2011.
-- Habits: GROUP BY CUBE with GROUPING() labels, ROUND(n / 5.0, 0) * 5, MIN/SUM/ROW_NUMBER
-- over partitions for secondary suppression, CONCAT of a count and a percentage, PIVOT.
SET NOCOUNT ON
SELECT CASE WHEN GROUPING(EthnicGroupMajor_spr11) = 1 THEN 'All pupils'
            ELSE EthnicGroupMajor_spr11 END AS eth,
       CASE WHEN GROUPING(FSMeligible_spr11) = 1 THEN 'Total'
            WHEN FSMeligible_spr11 = 1 THEN 'FSM' ELSE 'Not FSM' END AS fsm,
       COUNT(*) AS n
INTO #cells
FROM [NPD_i2].[2002237].[spring_census_2011]
WHERE Gender_spr11 IN ('M', 'F') AND EthnicGroupMajor_spr11 IS NOT NULL
GROUP BY CUBE(EthnicGroupMajor_spr11, FSMeligible_spr11)

;WITH checked AS (
  SELECT eth, fsm, n,
         CAST(ROUND(n / 5.0, 0) * 5 AS INT) AS rounded,
         SUM(CASE WHEN n < 10 AND fsm <> 'Total' THEN 1 ELSE 0 END)
           OVER (PARTITION BY eth) AS suppressed_in_row,
         ROW_NUMBER() OVER (PARTITION BY eth, CASE WHEN fsm = 'Total' THEN 1 ELSE 0 END
                            ORDER BY n, fsm) AS size_rank,
         MAX(CASE WHEN fsm = 'Total' THEN CAST(ROUND(n / 5.0, 0) * 5 AS INT) END)
           OVER (PARTITION BY eth) AS row_total
  FROM #cells)
SELECT eth, fsm,
       CASE WHEN n < 10 THEN 'c'
            WHEN suppressed_in_row = 1 AND fsm <> 'Total' AND size_rank = 2 THEN 'c'
            WHEN fsm = 'Total' THEN FORMAT(rounded, 'N0')
            ELSE CONCAT(FORMAT(rounded, 'N0'), ' (',
                        CAST(CAST(100.0 * rounded / NULLIF(row_total, 0) AS DECIMAL(4, 1))
                             AS VARCHAR(5)), '%)') END AS shown
INTO #release
FROM checked

SELECT eth AS [Ethnic group], [FSM], [Not FSM], [Total]
FROM #release
PIVOT (MAX(shown) FOR fsm IN ([FSM], [Not FSM], [Total])) p
ORDER BY CASE WHEN eth = 'All pupils' THEN 1 ELSE 0 END, eth
