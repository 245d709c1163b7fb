@method:IDiscFormat2Erase.EraseMedia
Feature: IDiscFormat2Erase::EraseMedia
  Erases the media in the recorder, synchronously, with Update events (elapsed and estimated total
  seconds). Set the recorder and the client name first; FullErase chooses a full or a quick erase.
  There is no prepare/release: eraseMedia takes exclusive access, locks the tray and suspends MCN for
  the erase, and gives them back when it ends. CD-RW (and DVD-RW) are blanked (BLANK, IMMED, then
  TEST UNIT READY polled until the drive is done); DVD+RW and BD-RE have no BLANK and are overwritten
  with zeros (quick: the file system areas; full: everything). Write-once media cannot be erased.

  Background:
    Given a drive with a blank CD-RW
    And the disc already holds a closed session
    And a DiscFormat2Erase on that recorder with client name "openimapi conformance"

  Scenario: S_OK — a quick erase blanks the CD-RW and gives the device back
    When I call eraseMedia
    Then it succeeds
    And the disc is blank
    And currentPhysicalMediaType is 3
    And the tray is unlocked
    And another client can acquire exclusive access

  Scenario: S_OK — a full erase blanks the CD-RW
    Given I set fullErase to true
    When I call eraseMedia
    Then it succeeds
    And the disc is blank

  @fault
  Scenario: S_OK — progress: Update events from 0 s, never going back, the last one saying it is done
    # The drive answers two polls with 02/04/08 (operation in progress) before it is ready.
    When I call eraseMedia while the drive reports "long write in progress" on the next 2 TEST UNIT READY commands once the erase has begun
    Then it succeeds
    And the erase raised at least 4 Update events
    And the erase reported progress from 0 seconds, never going back, ending with elapsed equal to the estimate

  Scenario: S_OK — a quick erase of a DVD+RW overwrites the file system areas with zeros, and only them
    Given a drive with a blank DVD+RW
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"
    And I call write with a data image of 3000 sectors
    And a DiscFormat2Erase on that recorder with client name "openimapi conformance"
    When I call eraseMedia
    Then it succeeds
    And LBA 0 to 1023 read back as zeros
    And LBA 2000 still holds the data written there

  Scenario: the media is left usable: a raw image burns on the erased CD-RW
    When I call eraseMedia
    Then a raw DAO-96 image with 1 audio track of 4 seconds burns and reads back

  Scenario Outline: E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE (0x80AA0904) — a <media> is write-once
    Given a drive with a blank <media>
    And a DiscFormat2Erase on that recorder with client name "openimapi conformance"
    When I call eraseMedia
    Then it fails with E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE (0x80AA0904)
    And another client can acquire exclusive access

    Examples:
      | media |
      | CD-R  |
      | DVD+R |
      | BD-R  |

  Scenario Outline: E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED (0xC0AA0909) — a pressed <media>
    Given a drive with a pressed <media>
    And a DiscFormat2Erase on that recorder with client name "openimapi conformance"
    When I call eraseMedia
    Then it fails with E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED (0xC0AA0909)

    Examples:
      | media   |
      | CD-ROM  |
      | DVD-ROM |

  Scenario: E_IMAPI_RECORDER_REQUIRED (0xC0AA0003) — no recorder
    Given a DiscFormat2Erase with no recorder
    When I call eraseMedia
    Then it fails with E_IMAPI_RECORDER_REQUIRED (0xC0AA0003)

  Scenario: E_POINTER (0x80004003) — the recorder property holds something that is not a recorder
    Given a DiscFormat2Erase whose recorder is not a recorder
    When I call eraseMedia
    Then it fails with E_POINTER (0x80004003)

  Scenario: E_INVALIDARG (0x80070057) — the recorder was never initialized
    Given a DiscFormat2Erase on an uninitialized recorder with client name "openimapi conformance"
    When I call eraseMedia
    Then it fails with E_INVALIDARG (0x80070057)

  Scenario: E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID (0xC0AA090B) — no client name
    Given a DiscFormat2Erase on that recorder with client name ""
    When I call eraseMedia
    Then it fails with E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID (0xC0AA090B)

  Scenario: E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED (0xC0AA090A) — a drive without an erasable profile (a read-only CD-ROM drive)
    # IMAPI2 refuses such a recorder when it is set; this API's recorder setter cannot ask the drive,
    # so eraseMedia does, before it locks anything.
    Given a DiscFormat2Erase on a read-only CD-ROM drive with client name "openimapi conformance"
    When I call eraseMedia
    Then it fails with E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED (0xC0AA090A)

  Scenario: E_IMAPI_RECORDER_LOCKED (0xC0AA0210) — another client holds the device
    Given another client holds exclusive access as "Other burner"
    When I call eraseMedia
    Then it fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)

  Scenario: E_IMAPI_ERASE_RECORDER_IN_USE (0x80AA0900) — a second erase from the Update handler
    When I erase the media and call eraseMedia again from the Update handler
    Then the second call fails with E_IMAPI_ERASE_RECORDER_IN_USE (0x80AA0900)
    And it succeeds

  Scenario: HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006) — the recorder was closed
    Given the recorder is closed
    When I call eraseMedia
    Then it fails with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006)

  @fault
  Scenario Outline: <hresult> (<value>) — the drive refuses BLANK with "<condition>"
    Given the drive will report "<condition>" on the next BLANK command
    When I call eraseMedia
    Then it fails with <hresult> (<value>)
    And another client can acquire exclusive access

    Examples:
      | condition               | hresult                                    | value      |
      | hardware error          | E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND   | 0x80AA0905 |
      | cannot blank this medium | E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND  | 0x80AA0905 |
      | write protected         | E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED     | 0xC0AA0209 |
      | no media                | E_IMAPI_RECORDER_MEDIA_NO_MEDIA            | 0xC0AA0202 |
      | device gone             | HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)    | 0x80070037 |

    @timeout
    Examples:
      | condition               | hresult                                    | value      |
      | command timeout         | E_IMAPI_RECORDER_COMMAND_TIMEOUT           | 0xC0AA020D |

  @fault
  Scenario: E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND (0x80AA0908) — the drive refuses to spin the disc up
    Given the drive will report "hardware error" on the next START STOP UNIT command
    When I call eraseMedia
    Then it fails with E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND (0x80AA0908)
    And the media is not blank

  @fault
  Scenario: E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE (0x80AA0907) — the disc fails while the drive erases it
    When I call eraseMedia while the drive reports "medium format corrupted" on the next TEST UNIT READY command once the erase has begun
    Then it fails with E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE (0x80AA0907)
    And another client can acquire exclusive access

  @fault
  Scenario Outline: <hresult> (<value>) — the drive reports "<condition>" to <command> while the media is identified
    Given the drive will report "<condition>" on the next <command> command
    When I call eraseMedia
    Then it fails with <hresult> (<value>)
    And the media is not blank

    Examples:
      | condition              | command               | hresult                                       | value      |
      | hardware error         | READ DISC INFORMATION | E_FAIL                                        | 0x80004005 |
      | no media               | TEST UNIT READY       | E_IMAPI_RECORDER_MEDIA_NO_MEDIA               | 0xC0AA0202 |
      | becoming ready         | TEST UNIT READY       | E_IMAPI_RECORDER_MEDIA_BECOMING_READY         | 0xC0AA0205 |
      | format in progress     | TEST UNIT READY       | E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS     | 0xC0AA0206 |
      | long write in progress | TEST UNIT READY       | E_IMAPI_RECORDER_MEDIA_BUSY                   | 0xC0AA0207 |
      | upside down            | READ DISC INFORMATION | E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN            | 0xC0AA0204 |
      | incompatible medium    | READ DISC INFORMATION | E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE           | 0xC0AA0203 |
      | loss of streaming      | READ DISC INFORMATION | E_IMAPI_LOSS_OF_STREAMING                     | 0xC0AA0300 |
      | invalid response       | READ DISC INFORMATION | E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE | 0xC0AA02FF |

  @fault
  Scenario: E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E) — identifying a DVD+RW whose structure the drive cannot return
    Given a drive with a blank DVD+RW
    And a DiscFormat2Erase on that recorder with client name "openimapi conformance"
    And the drive will report "dvd structure not present" on the next READ DISC STRUCTURE command
    When I call eraseMedia
    Then it fails with E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT (0xC0AA020E)

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult                                  | value      | why                                                                                                             |
      | E_OUTOFMEMORY                            | 0x8007000E | an allocation failure in Node ends the process instead of returning an error                                    |
      | E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE       | 0xC0AA0201 | only MODE SENSE reports it, and an erase sends none                                                             |
      | E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS | 0xC0AA0208 | only MODE SELECT reports it, and an erase sends none                                                            |
      | E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH    | 0xC0AA020F | only SET CD SPEED / SET STREAMING report it, and an erase sends neither                                        |
      | E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR  | 0x80AA0906 | it takes an hour of wall-clock polling; the suite asserts nothing on wall time (a disc failing mid-erase is UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE, above) |
