@method:IDiscFormat2RawCD.WriteMedia2
Feature: IDiscFormat2RawCD::WriteMedia2
  Writes a DAO-96 raw image to blank media whose first streamLeadInSectors sectors come before MSF
  00:00:00 (WriteMedia is the case of 22 500, an image starting at MSF 95:00:00). The method skips
  the image sectors before the media's lead-in start (ATIP) by seeking, or by reading forward when
  the source cannot seek, and writes from there. Before calling it, set the recorder and call
  PrepareMedia; ReleaseMedia follows.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"

  Scenario: S_OK — an image that starts exactly at the media's lead-in start (11 634 lead-in sectors)
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia2 with the image cut to 11634 lead-in sectors
    Then it succeeds
    And I release the media
    And the disc reads back as the image, TOC included

  Scenario: S_OK — 22 500 lead-in sectors is the writeMedia image, MSF 95:00:00 first
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia2 with the image and 22500 lead-in sectors
    Then it succeeds
    And I release the media
    And the disc reads back as the image, TOC included

  Scenario: E_POINTER (0x80004003) — no stream
    Given the media is prepared
    When I call writeMedia2 with no stream
    Then it fails with E_POINTER (0x80004003)

  Scenario Outline: E_INVALIDARG (0x80070057) — <what>
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia2 with the image and the lead-in sector count "<count>"
    Then it fails with E_INVALIDARG (0x80070057)

    Examples:
      | what                                                  | count |
      | a negative lead-in sector count                       | -5    |
      | a lead-in sector count that is not whole              | 1.5   |
      | a lead-in reaching before the first MSF address       | 50000 |

  Scenario: E_INVALIDARG (0x80070057) — the data is a number, not a stream
    Given the media is prepared
    When I call writeMedia2 with the number 5 as the stream
    Then it fails with E_INVALIDARG (0x80070057)

  Scenario: E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED (0xC0AA060D) — the stream is not whole raw sectors
    Given the media is prepared
    When I call writeMedia2 with a stream of 1000 bytes
    Then it fails with E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED (0xC0AA060D)

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)
    Given a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia2 with the image and 22500 lead-in sectors
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)

  Scenario: E_IMAPI_DF2RAW_WRITE_IN_PROGRESS (0xC0AA0600) — a second write from the Update handler
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia2 with the image and 22500 lead-in sectors and call writeMedia2 again from the Update handler
    Then writeMedia2 failed with E_IMAPI_DF2RAW_WRITE_IN_PROGRESS (0xC0AA0600)
    And it succeeds

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK (0xC0AA0606) — the disc was written in this preparation already
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    And I call writeMedia2 with the image and 22500 lead-in sectors
    When I call writeMedia2 with the image and 22500 lead-in sectors
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK (0xC0AA0606)

  Scenario: E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT (0xC0AA060F) — fewer lead-in sectors than the media needs
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia2 with the image cut to 1000 lead-in sectors
    Then it fails with E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT (0xC0AA060F)

  Scenario: E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE (0xC0AA0609) — the image is larger than the media
    Given the media is prepared
    And a sparse raw image file of 90 minutes
    When I call writeMedia2 with the image and 22500 lead-in sectors
    Then it fails with E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE (0xC0AA0609)

  Scenario: E_FAIL (0x80004005) — the source fails while it is being read
    Given the media is prepared
    When I call writeMedia2 with a stream that fails after 3000 sectors
    Then it fails with E_FAIL (0x80004005)

  Scenario: E_IMAPI_REQUEST_CANCELLED (0xC0AA0002) — cancelWrite from the Update handler
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 20 seconds
    When I call writeMedia2 with the image and 22500 lead-in sectors and call cancelWrite from the Update handler
    Then it fails with E_IMAPI_REQUEST_CANCELLED (0xC0AA0002)

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    And the recorder is closed
    When I call writeMedia2 with the image and 22500 lead-in sectors
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive reports "<condition>" to <command> during the write
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    And the drive will report "<condition>" on the next <command> command
    When I call writeMedia2 with the image and 22500 lead-in sectors
    Then it fails with <hresult> (<value>)

    Examples:
      | condition               | command               | hresult                                       | value      |
      | reservation conflict    | WRITE                 | E_IMAPI_RECORDER_LOCKED                       | 0xC0AA0210 |
      | no media                | WRITE                 | E_IMAPI_RECORDER_MEDIA_NO_MEDIA               | 0xC0AA0202 |
      | becoming ready          | WRITE                 | E_IMAPI_RECORDER_MEDIA_BECOMING_READY         | 0xC0AA0205 |
      | format in progress      | WRITE                 | E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS     | 0xC0AA0206 |
      | long write in progress  | WRITE                 | E_IMAPI_RECORDER_MEDIA_BUSY                   | 0xC0AA0207 |
      | upside down             | READ TOC              | E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN            | 0xC0AA0204 |
      | incompatible medium     | WRITE                 | E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE           | 0xC0AA0203 |
      | write protected         | WRITE                 | E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED        | 0xC0AA0209 |
      | speed mismatch          | SET CD SPEED          | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH         | 0xC0AA020F |
      | no such mode page       | MODE SENSE            | E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE            | 0xC0AA0201 |
      | invalid mode parameters | MODE SELECT           | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS      | 0xC0AA0208 |
      | loss of streaming       | WRITE                 | E_IMAPI_LOSS_OF_STREAMING                     | 0xC0AA0300 |
      | invalid response        | READ DISC INFORMATION | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF |
      | device gone             | WRITE                 | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)       | 0x80070037 |

    @timeout
    Examples:
      | condition               | command               | hresult                                       | value      |
      | command timeout         | WRITE                 | E_IMAPI_RECORDER_COMMAND_TIMEOUT              | 0xC0AA020D |

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                                    | value      | why                                                                                                   |
      | E_OUTOFMEMORY                              | 0x8007000E | the image is streamed in fixed-size buffers; an allocation failure in Node ends the process            |
      | E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT | 0xC0AA020E | the DVD structure is read only while identifying DVD media, in prepareMedia (driven there); not on CD |
