-- Employment of the pupils in the spring 2011 census (2010/11), by National Curriculum year:
-- census PMR -> AE_ID (PMR lookup) -> EDUKEY (EDUKEY lookup) -> employment spells.
-- The same SQL runs in the SRS (with the project schema prefixes) and on leo-synth output.
SELECT c.NCyearActual_spr11                  AS nc_year,
       COUNT(DISTINCT c.PupilMatchingRefAnonymous_spr11) AS pupils,
       COUNT(DISTINCT p.AE_ID)               AS matched_persons,
       COUNT(DISTINCT CASE WHEN e.EduKey IS NOT NULL THEN p.AE_ID END) AS ever_employed,
       COUNT(e.StartDate)                    AS employment_spells
FROM spring_census_2011 AS c
JOIN learner_ae_id_to_pmr_lookup AS p
  ON p.PUPILMATCHINGREFANONYMOUS = c.PupilMatchingRefAnonymous_spr11
JOIN learner_ae_id_to_edukey_lookup AS k
  ON k.AE_ID = p.AE_ID
LEFT JOIN leo_employment AS e
  ON e.EduKey = k.EDUKEY
WHERE c.NCyearActual_spr11 IN ('9', '10', '11')
GROUP BY c.NCyearActual_spr11
ORDER BY CAST(c.NCyearActual_spr11 AS INT);
