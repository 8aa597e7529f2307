-- 76 A first look at the HMRC and DWP views, as a new SRS user (or a workshop) makes it.
-- Answers: which views LEO_i2 holds, and for each column of the employment, benefit,
-- earnings and self-assessment views its type, how many rows are NULL, how many values are
-- distinct, its shortest and longest text and its smallest and largest value.
-- Relations: LEO_i2 leo_employment, leo_benefit, leo_earnings, leo_self_assessment (read
-- through INFORMATION_SCHEMA.COLUMNS and sys.views, then by dynamic SQL).
-- Habits: OBJECT_ID(..., 'V') to test for a view (the extract's relations are views, so
-- 'U' finds none), a cursor over INFORMATION_SCHEMA.COLUMNS building one INSERT ... SELECT per
-- column run by sp_executesql with parameters, SELECT TOP 0 * INTO to copy a view's shape.
SET NOCOUNT ON;

IF OBJECT_ID('tempdb..#profile', 'U') IS NOT NULL DROP TABLE #profile;
CREATE TABLE #profile (
  view_name SYSNAME NOT NULL, column_name SYSNAME NOT NULL, position INT, full_type VARCHAR(30),
  n_rows BIGINT, n_null BIGINT, n_distinct BIGINT, shortest INT, longest INT,
  least VARCHAR(30), greatest VARCHAR(30));

DECLARE @view SYSNAME, @column SYSNAME, @position INT, @type VARCHAR(30), @numeric BIT,
        @sql NVARCHAR(MAX), @name NVARCHAR(300);

DECLARE columns_to_profile CURSOR LOCAL FAST_FORWARD FOR
  SELECT c.TABLE_NAME, c.COLUMN_NAME, c.ORDINAL_POSITION,
    c.DATA_TYPE + CASE WHEN c.CHARACTER_MAXIMUM_LENGTH IS NOT NULL
      THEN '(' + CAST(c.CHARACTER_MAXIMUM_LENGTH AS VARCHAR(10)) + ')' ELSE '' END,
    CASE WHEN c.NUMERIC_PRECISION IS NOT NULL AND c.NUMERIC_SCALE = 0 THEN 1 ELSE 0 END
  FROM LEO_i2.INFORMATION_SCHEMA.COLUMNS c
  JOIN LEO_i2.sys.views v ON v.name = c.TABLE_NAME
  WHERE c.TABLE_NAME IN ('leo_employment', 'leo_benefit', 'leo_earnings', 'leo_self_assessment')
  ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION;

OPEN columns_to_profile;
FETCH NEXT FROM columns_to_profile INTO @view, @column, @position, @type, @numeric;
WHILE @@FETCH_STATUS = 0
BEGIN
  SET @name = N'LEO_i2.[2002237].' + QUOTENAME(@view);
  IF OBJECT_ID(@name, 'V') IS NOT NULL
  BEGIN
    SET @sql = N'INSERT INTO #profile SELECT @v, @c, @p, @t, COUNT_BIG(*), '
      + N'SUM(CASE WHEN ' + QUOTENAME(@column) + N' IS NULL THEN 1 ELSE 0 END), '
      + N'COUNT_BIG(DISTINCT ' + QUOTENAME(@column) + N'), '
      + CASE WHEN @type LIKE '%char%'
          THEN N'MIN(LEN(' + QUOTENAME(@column) + N')), MAX(LEN(' + QUOTENAME(@column) + N')), '
          ELSE N'NULL, NULL, ' END
      + CASE WHEN @numeric = 1 OR @type = 'date'
          THEN N'CONVERT(VARCHAR(30), MIN(' + QUOTENAME(@column) + N')), CONVERT(VARCHAR(30), MAX('
            + QUOTENAME(@column) + N')) '
          ELSE N'NULL, NULL ' END
      + N'FROM ' + @name;
    EXEC sp_executesql @sql, N'@v SYSNAME, @c SYSNAME, @p INT, @t VARCHAR(30)',
      @v = @view, @c = @column, @p = @position, @t = @type;
  END
  FETCH NEXT FROM columns_to_profile INTO @view, @column, @position, @type, @numeric;
END
CLOSE columns_to_profile;
DEALLOCATE columns_to_profile;

-- the shape of one view, copied with no rows: its columns keep the view's types
SELECT TOP 0 * INTO #benefit_shape FROM [LEO_i2].[2002237].[leo_benefit];

SELECT p.view_name, p.column_name, p.full_type,
  CASE WHEN s.name IS NULL THEN '' ELSE TYPE_NAME(s.user_type_id) END AS copied_as,
  p.n_rows, p.n_null, p.n_distinct, p.shortest, p.longest, p.least, p.greatest
FROM #profile p
LEFT JOIN tempdb.sys.columns s
  ON s.object_id = OBJECT_ID('tempdb..#benefit_shape') AND s.name = p.column_name
  AND p.view_name = 'leo_benefit'
ORDER BY p.view_name, p.position;
