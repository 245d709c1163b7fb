@method:IDiscFormat2RawCD.RequestedSectorType
Feature: IDiscFormat2RawCD::put_RequestedSectorType
  The sector type of the image to write (IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE): SUBCODE_PQ_ONLY (1,
  2368-byte sectors), SUBCODE_IS_COOKED (2, 2448 bytes, de-interleaved P-W; the default) or
  SUBCODE_IS_RAW (3, 2448 bytes, raw P-W). It decides the sector size writeMedia reads and the data
  block type of the write parameters page. It is set once the media is prepared (the recorder's sector
  types are known then; IMAPI2's own sample sets it after PrepareMedia), to a type the recorder
  supports, and cannot change while a write is in progress.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"

  Scenario: S_OK — the default is SUBCODE_IS_COOKED (2)
    Then requestedSectorType is 2

  Scenario Outline: S_OK — <name> (<type>) is accepted
    Given the media is prepared
    When I set requestedSectorType to <type>
    Then it succeeds
    And requestedSectorType is <type>

    Examples:
      | name              | type |
      | SUBCODE_PQ_ONLY   | 1    |
      | SUBCODE_IS_COOKED | 2    |
      | SUBCODE_IS_RAW    | 3    |

  Scenario: S_OK — a raw P-W image written as SUBCODE_IS_RAW reads back with its sub-channel
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I set requestedSectorType to 3
    And I call writeMedia with the image
    Then it succeeds
    And I release the media
    And the disc reads back as the image, TOC included

  Scenario: the sector type decides the sector size: a 2448-byte image read as PQ-only (2368) is E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I set requestedSectorType to 1
    And I call writeMedia with the image
    Then it fails with E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED (0xC0AA060D)

  Scenario Outline: E_INVALIDARG (0x80070057) — <what> is not a sector type
    When I set requestedSectorType to <value>
    Then it fails with E_INVALIDARG (0x80070057)
    And requestedSectorType is 2

    Examples:
      | what     | value |
      | 0        | 0     |
      | 4        | 4     |
      | a string | "raw" |

  Scenario: E_IMAPI_DF2RAW_WRITE_IN_PROGRESS (0xC0AA0600) — set from the Update handler during the write
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia with the image and set requestedSectorType to 2 from the Update handler
    Then requestedSectorType failed with E_IMAPI_DF2RAW_WRITE_IN_PROGRESS (0xC0AA0600)
    And it succeeds
    And requestedSectorType is 3

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602) — set before prepareMedia
    When I set requestedSectorType to 3
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)
    And requestedSectorType is 2
    When I prepare the media
    And I set requestedSectorType to 3
    Then it succeeds
    And requestedSectorType is 3

  @fault
  Scenario: E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED (0xC0AA060E) — the recorder does not list the type: raw P-W on a recorder without R-W subcode
    # prepareMedia reads the CD Mastering feature (002Eh): Raw without R-W gives PQ only, so raw
    # (and cooked) P-W are refused; PQ only is still accepted.
    Given the recorder's CD Mastering feature does not list R-W subcode
    And the media is prepared
    When I call getSupportedSectorTypes
    Then it succeeds with [1]
    When I set requestedSectorType to 3
    Then it fails with E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED (0xC0AA060E)
    And requestedSectorType is 2
    When I set requestedSectorType to 1
    Then it succeeds
    And requestedSectorType is 1
