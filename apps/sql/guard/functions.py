"""The functions a statement may call, by the name DuckDB will see (sqlglot's DuckDB spelling, lowercase).

An allowlist, not a denylist: anything not named here is refused, so a new DuckDB release that adds a
file reader or a settings reader adds nothing a user can reach. Deliberately absent: every reader of files,
URLs, settings, variables, secrets, the environment or the catalog (`read_*`, `*_scan`, `glob`, `getenv`,
`current_setting`, `getvariable`, `duckdb_*`, `pragma_*`, `json_execute_serialized_sql`, `query`, ...).
"""

AGGREGATES = frozenset(
    """
    any_value approx_count_distinct approx_quantile arg_max arg_min argmax argmin array_agg avg bit_and
    bit_or bit_xor bool_and bool_or corr count count_if count_star covar_pop covar_samp entropy favg first
    fsum geomean group_concat histogram kurtosis last list listagg mad max max_by mean median min min_by
    mode product quantile quantile_cont quantile_disc regr_avgx regr_avgy regr_count regr_intercept regr_r2
    regr_slope regr_sxx regr_sxy regr_syy skewness stddev stddev_pop stddev_samp string_agg sum sumkahan
    var_pop var_samp variance
    """.split()
)

WINDOW = frozenset(
    "row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value".split()
)

SCALARS = frozenset(
    """
    abs acos acosh add age array_aggregate array_append array_concat array_contains array_distinct
    array_extract array_filter array_has array_length array_position array_reverse array_slice array_sort
    array_to_string array_transform array_value ascii asin asinh atan atan2 atanh bar base64 bit_count
    bit_length bitwise_and cardinality cbrt ceil ceiling century chr coalesce concat concat_ws contains cos
    cosh cot current_date current_time current_timestamp date_add date_diff date_part date_sub date_trunc
    datediff datepart datesub datetrunc day dayname dayofmonth dayofweek dayofyear decade degrees divide
    editdist3 element_at ends_with epoch epoch_ms epoch_ns epoch_us era even exp extract factorial flatten
    floor format formatreadablesize gamma gcd generate_series greatest hamming hash hour ilike_escape
    instr isfinite isinf isnan isodow isoyear jaccard jaro_similarity jaro_winkler_similarity json_array
    json_array_length json_contains json_extract json_extract_path json_extract_path_text
    json_extract_string json_keys json_object json_quote json_structure json_type json_valid json_value
    last_day lcase lcm least left len length levenshtein lgamma like_escape list_aggregate list_any_value
    list_append list_avg list_concat list_contains list_count list_distinct list_element list_extract
    list_filter list_first list_has list_has_all list_has_any list_last list_max list_min list_position
    list_reduce list_reverse list_slice list_sort list_sum list_transform list_unique list_value ln log log10
    log2 lower lpad ltrim make_date make_time make_timestamp map map_extract map_keys map_values md5
    microsecond millennium millisecond minute mod month monthname multiply nanosecond nextafter nfc_normalize
    not_ilike_escape not_like_escape now nullif octet_length ord parse_dirname parse_filename parse_path pi
    position pow power prefix printf quarter radians random range regexp_escape regexp_extract
    regexp_extract_all regexp_full_match regexp_matches regexp_replace regexp_split_to_array repeat replace
    reverse right round round_even rpad rtrim second sha1 sha256 sign signbit sin sinh split
    split_part sqrt starts_with stats str_split str_split_regex strftime string_split string_split_regex
    string_to_array strip_accents strlen strpos strptime struct_extract struct_insert struct_pack substr
    substring subtract suffix tan tanh time_bucket timezone to_base64 to_centuries to_days to_decades
    to_hours to_json to_microseconds to_millennia to_milliseconds to_minutes to_months to_seconds
    to_timestamp to_weeks to_years today translate trim trunc try_strptime typeof ucase unbin unhex unicode
    union_extract union_tag unnest upper uuid gen_random_uuid week weekday weekofyear year yearweek
    """.split()
)

# Forms sqlglot writes with call syntax that are SQL keywords rather than catalog functions.
KEYWORDS = frozenset("cast try_cast extract interval columns struct_pack row".split())

# The only table functions: they make numbers or rows from values, never from files or the catalog.
TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})

ALLOWED = AGGREGATES | WINDOW | SCALARS | KEYWORDS
# In a derive expression: one value per row, so no aggregates or windows.
ALLOWED_IN_EXPRESSIONS = SCALARS | KEYWORDS
