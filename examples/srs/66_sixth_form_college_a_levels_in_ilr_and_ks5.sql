-- 66 A level students by institution type, and a sixth-form college's A levels in the ILR.
-- Answers: per KS5 year 2008/09 to 2014/15, how many A level students studied in a school
-- sixth form and how many at a sixth-form college (KS5_NEW_TYPE 6); of the college students,
-- how many can be followed into the ILR (PMR -> AE_ID -> RECORDID), how many of those have
-- GCE A level aims (QualificationType 0002) completed that year, and for how many every such
-- aim's grade (outcome_grade) is one of the student's KS5 A level grades.
-- Relations: NPD_i2 KS5Student_2002_to_2021, KS5Exam_2002_to_2021; LEO_i2
-- learner_ae_id_to_pmr_lookup, education_records_lookup; LILR_i2 aims (Year = the academic
-- year's start, so KS5 year 2010/2011 is Year 2010).
SET NOCOUNT ON;

IF OBJECT_ID('tempdb..#students') IS NOT NULL DROP TABLE #students;

SELECT DISTINCT s.KS5_PupilMatchingRefAnonymous AS pmr,
       CAST(LEFT(s.KS5_ACADYR, 4) AS INT) AS ks5_year,
       CASE WHEN s.KS5_NEW_TYPE = 6 THEN 1 ELSE 0 END AS sixth_form_college
INTO #students
FROM [NPD_i2].[2002237].[KS5Student_2002_to_2021] s
WHERE s.KS5_ACADYR BETWEEN '2008/2009' AND '2014/2015'
  AND s.KS5_ENTRY_GA > 0;

IF OBJECT_ID('tempdb..#college_aims') IS NOT NULL DROP TABLE #college_aims;

-- the completed GCE A level aims of each college student's KS5 year, through the lookups
SELECT st.pmr, st.ks5_year, a.outcome_grade
INTO #college_aims
FROM #students st
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
  ON p.PUPILMATCHINGREFANONYMOUS = st.pmr
JOIN [LEO_i2].[2002237].[education_records_lookup] r ON r.AE_ID = p.AE_ID
JOIN [LILR_i2].[2002237].[aims] a ON a.RECORDID = r.RECORDID
WHERE st.sixth_form_college = 1
  AND a.QualificationType = '0002'
  AND a.Compstatus = 2
  AND a.[Year] = st.ks5_year;

WITH linked AS (
    SELECT DISTINCT st.pmr
    FROM #students st
    JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
      ON p.PUPILMATCHINGREFANONYMOUS = st.pmr
    WHERE st.sixth_form_college = 1
),
grades AS (
    SELECT DISTINCT KS5_PupilMatchingRefAnonymous AS pmr, KS5_GRADE AS grade
    FROM [NPD_i2].[2002237].[KS5Exam_2002_to_2021]
    WHERE KS5_SUBLEVNO = 111
),
graded AS (
    -- a student whose every A level aim has a grade the KS5 exam table gives the student
    -- (SQL Server cannot aggregate a subquery: the grades are joined, not looked up)
    SELECT c.pmr
    FROM #college_aims c
    LEFT JOIN grades x ON x.pmr = c.pmr AND x.grade = c.outcome_grade
    GROUP BY c.pmr
    HAVING SUM(CASE WHEN x.pmr IS NULL THEN 1 ELSE 0 END) = 0
)
SELECT st.ks5_year                                                  AS KS5Year,
       SUM(1 - st.sixth_form_college)                               AS SchoolSixthForm,
       SUM(st.sixth_form_college)                                   AS SixthFormCollege,
       SUM(CASE WHEN l.pmr IS NOT NULL THEN 1 ELSE 0 END)           AS CollegeLinked,
       COUNT(DISTINCT a.pmr)                                        AS CollegeWithALevelAims,
       COUNT(DISTINCT g.pmr)                                        AS GradesAgree
FROM #students st
LEFT JOIN linked l ON l.pmr = st.pmr
LEFT JOIN (SELECT DISTINCT pmr FROM #college_aims) a ON a.pmr = st.pmr
LEFT JOIN graded g ON g.pmr = st.pmr
GROUP BY st.ks5_year
ORDER BY st.ks5_year;
