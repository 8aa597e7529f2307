-- 12 Classes of first degrees awarded in 2015/16.
-- Answers: how are the qualifiers of 2015/16 (XPQUAL01 = 1, first degree XQOBTN01 H or I)
-- spread over degree classes (XCLASS01)?
-- Relations: HESA_i2 hesa_2016.
SELECT ISNULL(h.HE_XCLASS01, 'not classified') AS DegreeClass,
       COUNT(*)                                AS Qualifiers
FROM HESA_i2."2002237".hesa_2016 AS h
WHERE h.HE_XPQUAL01 = 1
  AND LEFT(h.HE_XQOBTN01, 1) IN ('H', 'I')
GROUP BY ISNULL(h.HE_XCLASS01, 'not classified')
ORDER BY DegreeClass
