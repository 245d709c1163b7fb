@method:IDiscFormat2RawCD.WriteMedia
Feature: IDiscFormat2RawCD::WriteMedia
  Writes a DAO-96 raw image to blank media using MSF 95:00:00 as the starting address. The method
  seeks (or reads forward, when the source cannot seek) to the lead-in start of the current media.
  Before calling it, set the recorder and call PrepareMedia.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"

  Scenario: S_OK — a raw image burns and reads back byte for byte, TOC included
    Given the media is prepared
    And a raw DAO-96 image with 2 audio tracks of 4 seconds each
    When I call writeMedia with the image
    Then it succeeds
    And I release the media
    And the disc reads back as the image, TOC included

  Scenario: S_OK — the write raises Update events: PREPARING, WRITING with the written LBA rising, FINISHING
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia with the image
    Then it succeeds
    And the Update events went PREPARING/WRITING/FINISHING with the written LBA rising to the end of the image

  Scenario: S_OK — a source that cannot seek is read forward to the lead-in start
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia with the image as a non-seekable stream
    Then it succeeds
    And I release the media
    And the disc reads back as the image, TOC included

  Scenario: S_OK — the first sector of the image is MSF 95:00:00 and the drive is written from its lead-in start
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia with the image
    Then it succeeds
    And the drive was written from its ATIP lead-in start with the image sector for that address

  Scenario: E_POINTER (0x80004003) — no stream
    Given the media is prepared
    When I call writeMedia with no stream
    Then it fails with E_POINTER (0x80004003)

  Scenario: E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED (0xC0AA060D) — the stream is not whole raw sectors
    Given the media is prepared
    When I call writeMedia with a stream of 1000 bytes
    Then it fails with E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED (0xC0AA060D)

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)
    Given a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia with the image
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)

  Scenario: E_IMAPI_DF2RAW_WRITE_IN_PROGRESS (0xC0AA0600) — a second write from the Update handler
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia with the image and call writeMedia again from the Update handler
    Then the second call fails with E_IMAPI_DF2RAW_WRITE_IN_PROGRESS (0xC0AA0600)
    And it succeeds

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK (0xC0AA0606) — the disc was written in this preparation already
    # PrepareMedia refuses a disc that is not blank (see its feature); within one preparation the
    # first writeMedia leaves the disc written, and a second one is refused.
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    And I call writeMedia with the image
    When I call writeMedia with the image
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK (0xC0AA0606)

  Scenario: E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT (0xC0AA060F) — the image ends before the media's lead-in start
    Given the media is prepared
    When I call writeMedia with a raw image of 5000 sectors
    Then it fails with E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT (0xC0AA060F)

  Scenario: E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT (0xC0AA060F) — writeMedia2 with fewer lead-in sectors than the media needs
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia2 with the image cut to 1000 lead-in sectors
    Then it fails with E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT (0xC0AA060F)

  Scenario: E_INVALIDARG (0x80070057) — the data is a number, not a stream
    Given the media is prepared
    When I call writeMedia with the number 5 as the stream
    Then it fails with E_INVALIDARG (0x80070057)

  Scenario: E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE (0xC0AA0609) — the image is larger than the media
    # An 80-minute CD-R; the image holds 90 minutes of program (a sparse file: nothing is read).
    Given the media is prepared
    And a sparse raw image file of 90 minutes
    When I call writeMedia with the image
    Then it fails with E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE (0xC0AA0609)

  Scenario: E_FAIL (0x80004005) — the source fails while it is being read
    Given the media is prepared
    When I call writeMedia with a stream that fails after 3000 sectors
    Then it fails with E_FAIL (0x80004005)

  Scenario: E_IMAPI_REQUEST_CANCELLED (0xC0AA0002) — cancelWrite from the Update handler
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 20 seconds
    When I call writeMedia with the image and call cancelWrite from the Update handler
    Then it fails with E_IMAPI_REQUEST_CANCELLED (0xC0AA0002)

  @fault
  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — the device's reservation is taken from under the write
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    And the drive will report "reservation conflict" on the next WRITE command
    When I call writeMedia with the image
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive reports "<condition>" during the write
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    And the drive will report "<condition>" on the next <command> command
    When I call writeMedia with the image
    Then it fails with <hresult> (<value>)

    Examples:
      | condition                 | command        | hresult                                       | value      |
      | no media                  | WRITE          | E_IMAPI_RECORDER_MEDIA_NO_MEDIA               | 0xC0AA0202 |
      | becoming ready            | WRITE          | E_IMAPI_RECORDER_MEDIA_BECOMING_READY         | 0xC0AA0205 |
      | format in progress        | WRITE          | E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS     | 0xC0AA0206 |
      | long write in progress    | WRITE          | E_IMAPI_RECORDER_MEDIA_BUSY                   | 0xC0AA0207 |
      | upside down               | READ TOC       | E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN            | 0xC0AA0204 |
      | incompatible medium       | WRITE          | E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE           | 0xC0AA0203 |
      | write protected           | WRITE          | E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED        | 0xC0AA0209 |
      | speed mismatch            | SET CD SPEED   | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH         | 0xC0AA020F |
      | no such mode page         | MODE SENSE     | E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE            | 0xC0AA0201 |
      | invalid mode parameters   | MODE SELECT    | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS      | 0xC0AA0208 |
      | loss of streaming         | WRITE          | E_IMAPI_LOSS_OF_STREAMING                     | 0xC0AA0300 |
      | invalid response          | READ DISC INFORMATION | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF |
      | device gone               | WRITE          | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)       | 0x80070037 |

    @timeout
    Examples:
      | condition                 | command        | hresult                                       | value      |
      | command timeout           | WRITE          | E_IMAPI_RECORDER_COMMAND_TIMEOUT              | 0xC0AA020D |

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    And the recorder is closed
    When I call writeMedia with the image
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @not-reachable
  Scenario: E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E) — cannot happen during a raw CD write
    # The DVD structure is read only while identifying DVD media (see TrackAtOnce PrepareMedia, where
    # the row is driven). WriteMedia runs on prepared CD media, which stays locked in the drive.
    Then the row E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E) is documented as not reachable from the TypeScript API

  @not-reachable
  Scenario: E_OUTOFMEMORY (0x8007000E) — cannot happen in this API
    # The image is streamed with backpressure in fixed-size buffers; an allocation failure in Node ends
    # the process rather than returning an error.
    Then the row E_OUTOFMEMORY (0x8007000E) is documented as not reachable from the TypeScript API
